#include "config/dotenv.h"

#include <cctype>

#include <fmt/format.h>

namespace preflight {
namespace {

bool is_key_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_key_char(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.' || c == '-';
}
bool is_blank(char c) { return c == ' ' || c == '\t'; }

class Cursor {
 public:
  explicit Cursor(std::string_view text) : text_(text) {}
  bool done() const { return pos_ >= text_.size(); }
  char peek() const { return done() ? '\0' : text_[pos_]; }
  char take() {
    char c = text_[pos_++];
    if (c == '\n') ++line_;
    return c;
  }
  void skip_blanks() {
    while (!done() && is_blank(peek())) take();
  }
  // Consumes the rest of the line including its newline (and a CR before it).
  std::string_view rest_of_line() {
    size_t start = pos_;
    while (!done() && peek() != '\n') take();
    std::string_view s = text_.substr(start, pos_ - start);
    if (!done()) take();
    if (!s.empty() && s.back() == '\r') s.remove_suffix(1);
    return s;
  }
  bool starts_with(std::string_view s) const { return text_.substr(pos_).starts_with(s); }
  void advance(size_t n) {
    for (size_t i = 0; i < n && !done(); ++i) take();
  }
  int line() const { return line_; }

 private:
  std::string_view text_;
  size_t pos_ = 0;
  int line_ = 1;
};

// Where parsing stopped; parse_dotenv names the file.
struct LineError {
  int line = 0;
  std::string message;
};

using EntryResult = Result<DotenvEntry, LineError>;

Unexpected<LineError> error_at(int line, std::string message) {
  return Unexpected<LineError>{LineError{line, std::move(message)}};
}

// After a closing quote only blanks and a comment may follow.
bool only_comment_follows(Cursor& cur) {
  std::string_view rest = cur.rest_of_line();
  size_t i = 0;
  while (i < rest.size() && is_blank(rest[i])) ++i;
  return i == rest.size() || rest[i] == '#';
}

Result<std::string, LineError> read_single_quoted(Cursor& cur, int start_line) {
  std::string value;
  while (!cur.done() && cur.peek() != '\'') {
    char c = cur.take();
    if (c == '\r' && cur.peek() == '\n') continue;
    value += c;
  }
  if (cur.done()) return error_at(start_line, "unterminated single quote");
  cur.take();
  return value;
}

Result<std::string, LineError> read_double_quoted(Cursor& cur, int start_line) {
  std::string value;
  while (!cur.done() && cur.peek() != '"') {
    char c = cur.take();
    if (c == '\r' && cur.peek() == '\n') continue;
    if (c != '\\' || cur.done()) {
      value += c;
      continue;
    }
    char e = cur.take();
    switch (e) {
      case 'n': value += '\n'; break;
      case 'r': value += '\r'; break;
      case 't': value += '\t'; break;
      case '"': value += '"'; break;
      case '\\': value += '\\'; break;
      case '$': value += "$$"; break;  // stays literal through ${} expansion
      default: value += '\\'; value += e; break;
    }
  }
  if (cur.done()) return error_at(start_line, "unterminated double quote");
  cur.take();
  return value;
}

std::string unquoted_value(std::string_view rest) {
  // A '#' starts a comment only at the start or after a blank, so that
  // values such as passwords and URL fragments keep their '#'.
  size_t end = rest.size();
  for (size_t i = 0; i < rest.size(); ++i) {
    if (rest[i] == '#' && (i == 0 || is_blank(rest[i - 1]))) {
      end = i;
      break;
    }
  }
  std::string_view v = rest.substr(0, end);
  while (!v.empty() && is_blank(v.back())) v.remove_suffix(1);
  return std::string(v);
}

EntryResult parse_entry(Cursor& cur) {
  const int line = cur.line();
  if (cur.starts_with("export")) {
    Cursor probe = cur;
    probe.advance(6);
    if (is_blank(probe.peek())) {
      cur = probe;
      cur.skip_blanks();
    }
  }
  std::string key;
  if (!is_key_start(cur.peek())) {
    std::string_view bad = cur.rest_of_line();
    if (bad.find('=') == std::string_view::npos) {
      return error_at(line, "expected KEY=VALUE");
    }
    return error_at(line, "invalid variable name (letters, digits and _ . - only; "
                          "not starting with a digit)");
  }
  while (is_key_char(cur.peek())) key += cur.take();
  cur.skip_blanks();
  if (cur.peek() != '=') {
    cur.rest_of_line();
    // The name is not repeated: a line without '=' is as often a value on a
    // line of its own (an unquoted multi-line PEM key, a bare secret).
    return error_at(line, "expected KEY=VALUE: no '=' after the first word");
  }
  cur.take();
  cur.skip_blanks();

  DotenvEntry entry{key, {}, line, true};
  if (cur.peek() == '\'' || cur.peek() == '"') {
    char quote = cur.take();
    auto value = quote == '\'' ? read_single_quoted(cur, line) : read_double_quoted(cur, line);
    if (!value.ok()) return Unexpected<LineError>{value.error()};
    entry.value = std::move(value).value();
    entry.expandable = quote == '"';
    if (!only_comment_follows(cur)) return error_at(line, "unexpected text after the closing quote");
    return entry;
  }
  entry.value = unquoted_value(cur.rest_of_line());
  return entry;
}

Result<std::vector<DotenvEntry>, LineError> parse_entries(std::string_view text) {
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (auto nul = text.find('\0'); nul != std::string_view::npos) {
    int line = 1;
    for (size_t i = 0; i < nul; ++i) line += text[i] == '\n';
    return error_at(line, "NUL byte: this is not a text file");
  }
  std::vector<DotenvEntry> entries;
  Cursor cur(text);
  while (!cur.done()) {
    cur.skip_blanks();
    char c = cur.peek();
    if (c == '\n' || c == '\r' || c == '#' || cur.done()) {
      cur.rest_of_line();
      continue;
    }
    auto entry = parse_entry(cur);
    if (!entry.ok()) return Unexpected<LineError>{entry.error()};
    entries.push_back(std::move(entry).value());
  }
  return entries;
}

}  // namespace

Result<std::vector<DotenvEntry>, Problem> parse_dotenv(std::string_view text, std::string_view file) {
  auto entries = parse_entries(text);
  if (entries.ok()) return std::move(entries).value();
  const LineError& e = entries.error();
  std::string origin = file.empty() ? fmt::format("line {}", e.line) : fmt::format("{}:{}", file, e.line);
  return Unexpected<Problem>{Problem{.message = fmt::format("{}: {}", origin, e.message), .origin = origin}};
}

}  // namespace preflight
