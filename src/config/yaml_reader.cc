#include "config/yaml_reader.h"

#include <yaml.h>

#include <charconv>
#include <cstdint>
#include <optional>
#include <set>
#include <vector>

#include <fmt/format.h>

namespace preflight {
namespace {

using json = nlohmann::json;

// A config is a few levels deep; the bounds only stop a document whose
// aliases multiply it (a "billion laughs") from taking the memory or the
// stack of every later step.
constexpr size_t kMaxDepth = 64;
constexpr size_t kMaxValues = size_t{1} << 20;
constexpr size_t kMaxExpandedBytes = size_t{16} << 20;

constexpr std::string_view kCoreTag = "tag:yaml.org,2002:";

TextPosition position(const yaml_mark_t& mark) { return {mark.line + 1, mark.column + 1}; }

// libyaml's event, freed however the reading ends.
struct Event {
  yaml_event_t e{};
  bool held = false;
  Event() = default;
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;
  ~Event() {
    if (held) yaml_event_delete(&e);
  }
};

std::string_view text_of(const yaml_char_t* s) {
  return s == nullptr ? std::string_view{} : std::string_view(reinterpret_cast<const char*>(s));
}

bool all_of(std::string_view s, std::string_view allowed) {
  return !s.empty() && s.find_first_not_of(allowed) == std::string_view::npos;
}

template <typename T>
std::optional<T> number_from(std::string_view digits, int base) {
  T value{};
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), value, base);
  if (error != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

// YAML 1.2 core schema: [-+]?[0-9]+ | 0o[0-7]+ | 0x[0-9a-fA-F]+. nullopt
// when `s` is not an integer; an error when it is one out of range.
std::optional<Result<json, std::string>> core_integer(std::string_view s) {
  auto out_of_range = [] { return Result<json, std::string>(Unexpected<std::string>{"a whole number out of range"}); };
  if (s.size() > 2 && (s.starts_with("0o") || s.starts_with("0x"))) {
    std::string_view digits = s.substr(2);
    bool octal = s[1] == 'o';
    if (!all_of(digits, octal ? "01234567" : "0123456789abcdefABCDEF")) return std::nullopt;
    auto value = number_from<int64_t>(digits, octal ? 8 : 16);
    if (!value) return out_of_range();
    return Result<json, std::string>(json(*value));
  }
  std::string_view digits = s;
  bool negative = false;
  if (!digits.empty() && (digits[0] == '-' || digits[0] == '+')) {
    negative = digits[0] == '-';
    digits.remove_prefix(1);
  }
  if (!all_of(digits, "0123456789")) return std::nullopt;
  std::string signed_digits = negative ? "-" + std::string(digits) : std::string(digits);
  if (auto value = number_from<int64_t>(signed_digits, 10)) return Result<json, std::string>(json(*value));
  if (auto value = negative ? std::nullopt : number_from<uint64_t>(digits, 10)) {
    return Result<json, std::string>(json(*value));
  }
  return out_of_range();
}

// [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? and the infinities and
// NaN, which JSON (and so a config) cannot hold.
std::optional<Result<json, std::string>> core_float(std::string_view s) {
  std::string_view body = s;
  if (!body.empty() && (body[0] == '-' || body[0] == '+')) body.remove_prefix(1);
  for (std::string_view infinity : {".inf", ".Inf", ".INF"}) {
    if (body == infinity) return Result<json, std::string>(Unexpected<std::string>{"an infinity, which a config cannot hold"});
  }
  for (std::string_view nan : {".nan", ".NaN", ".NAN"}) {
    if (s == nan) return Result<json, std::string>(Unexpected<std::string>{"NaN, which a config cannot hold"});
  }
  size_t i = 0;
  auto digits = [&] {
    size_t start = i;
    while (i < body.size() && body[i] >= '0' && body[i] <= '9') ++i;
    return i - start;
  };
  size_t whole = digits();
  size_t fraction = 0;
  if (i < body.size() && body[i] == '.') {
    ++i;
    fraction = digits();
  }
  if (whole == 0 && fraction == 0) return std::nullopt;
  if (i < body.size() && (body[i] == 'e' || body[i] == 'E')) {
    ++i;
    if (i < body.size() && (body[i] == '-' || body[i] == '+')) ++i;
    if (digits() == 0) return std::nullopt;
  }
  if (i != body.size()) return std::nullopt;
  // from_chars takes no '+' and reads ".5" and "5." as strtod does.
  std::string_view unsigned_text = s[0] == '+' ? s.substr(1) : s;
  double value = 0;
  auto [end, error] = std::from_chars(unsigned_text.data(), unsigned_text.data() + unsigned_text.size(), value);
  if (error != std::errc() || end != unsigned_text.data() + unsigned_text.size()) {
    return Result<json, std::string>(Unexpected<std::string>{"a number out of range"});
  }
  return Result<json, std::string>(json(value));
}

bool is_core_null(std::string_view s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }

std::optional<bool> core_boolean(std::string_view s) {
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  return std::nullopt;
}

struct Anchor {
  json value;
  size_t height = 0;  // levels of nesting below the anchored value
  size_t values = 0;  // after its own aliases were expanded
  size_t bytes = 0;
  std::optional<PlainScalar> plain;
};

class Reader {
 public:
  explicit Reader(std::string_view text) : text_(text) {
    yaml_parser_initialize(&parser_);
    yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  }
  ~Reader() { yaml_parser_delete(&parser_); }
  Reader(const Reader&) = delete;
  Reader& operator=(const Reader&) = delete;

  Result<YamlDocument, YamlError> read() {
    YamlDocument doc;
    Event event;
    if (!next(event) || !next(event)) return failure();  // the stream's start, then a document or the end
    if (event.e.type == YAML_STREAM_END_EVENT) return doc;  // nothing but comments: null, refused by the schema
    Event root;
    if (!next(root)) return failure();
    doc.positions[""] = position(root.e.start_mark);
    size_t height = 0;
    if (!node(root, "", 0, doc, doc.value, height)) return failure();
    Event end;
    if (!next(end) || !next(end)) return failure();  // the document's end, then the stream's
    if (end.e.type != YAML_STREAM_END_EVENT) {
      fail("a config is one YAML document; a second one starts here", end.e.start_mark);
      return failure();
    }
    return doc;
  }

 private:
  yaml_parser_t parser_{};
  std::string_view text_;
  std::optional<YamlError> error_;
  std::map<std::string, Anchor, std::less<>> anchors_;
  size_t values_ = 0;
  size_t bytes_ = 0;

  Unexpected<YamlError> failure() { return Unexpected<YamlError>{*error_}; }

  bool fail(std::string what, const yaml_mark_t& at) {
    error_ = YamlError{std::move(what), position(at)};
    return false;
  }

  bool next(Event& event) {
    if (event.held) yaml_event_delete(&event.e);
    event.held = yaml_parser_parse(&parser_, &event.e) != 0;
    if (event.held) return true;
    std::string what = fmt::format("malformed YAML: {}", parser_.problem ? parser_.problem : "unreadable");
    if (parser_.context != nullptr) {
      what += fmt::format(" ({} that starts at line {}, column {})", parser_.context, parser_.context_mark.line + 1,
                          parser_.context_mark.column + 1);
    }
    if (parser_.error == YAML_READER_ERROR) {
      // Bad encoding: libyaml gives the byte offset, not a mark.
      return fail(std::move(what), mark_at(parser_.problem_offset));
    }
    return fail(std::move(what), parser_.problem_mark);
  }

  yaml_mark_t mark_at(size_t offset) const {
    yaml_mark_t mark{};
    for (size_t i = 0; i < std::min(offset, text_.size()); ++i) {
      if (text_[i] == '\n') {
        ++mark.line;
        mark.column = 0;
      } else if ((static_cast<unsigned char>(text_[i]) & 0xC0) != 0x80) {
        ++mark.column;
      }
    }
    return mark;
  }

  bool count(size_t values, size_t bytes, const yaml_mark_t& at) {
    values_ += values;
    bytes_ += bytes;
    if (values_ > kMaxValues || bytes_ > kMaxExpandedBytes) {
      return fail(fmt::format("the document expands past {} values or {} MiB (through its aliases, if it is not that "
                              "large as written)", kMaxValues, kMaxExpandedBytes >> 20),
                  at);
    }
    return true;
  }

  // A tag beyond YAML's standard ones (!Ref, !!python/object) would need
  // an application to give it a meaning; a config has none.
  bool standard_tag(const yaml_char_t* tag, std::initializer_list<std::string_view> allowed, const yaml_mark_t& at) {
    std::string_view t = text_of(tag);
    if (t.empty() || t == "!") return true;
    if (t.starts_with(kCoreTag)) {
      for (std::string_view a : allowed) {
        if (t.substr(kCoreTag.size()) == a) return true;
      }
    }
    std::string shown = t.starts_with(kCoreTag) ? "!!" + std::string(t.substr(kCoreTag.size())) : std::string(t);
    return fail(fmt::format("the tag {} has no meaning in a config (it may use !!str, !!int, !!float, !!bool, "
                            "!!null, !!map and !!seq)", shown.size() > 40 ? shown.substr(0, 40) + "…" : shown),
                at);
  }

  bool node(Event& event, const std::string& pointer, size_t depth, YamlDocument& doc, json& out, size_t& height) {
    const yaml_mark_t& at = event.e.start_mark;
    if (depth > kMaxDepth) return fail(fmt::format("nested deeper than {} levels", kMaxDepth), at);
    const size_t values_before = values_;
    const size_t bytes_before = bytes_;
    std::optional<PlainScalar> plain;
    const yaml_char_t* anchor = nullptr;
    height = 0;
    switch (event.e.type) {
      case YAML_ALIAS_EVENT: {
        auto found = anchors_.find(text_of(event.e.data.alias.anchor));
        if (found == anchors_.end()) return fail("an alias (*name) to no anchor (&name) written before it", at);
        const Anchor& a = found->second;
        if (depth + a.height > kMaxDepth) return fail(fmt::format("nested deeper than {} levels through an alias", kMaxDepth), at);
        if (!count(a.values, a.bytes, at)) return false;
        out = a.value;
        height = a.height;
        if (a.plain) doc.plain_scalars[pointer] = *a.plain;
        return true;
      }
      case YAML_SCALAR_EVENT:
        anchor = event.e.data.scalar.anchor;
        if (!scalar(event, out, plain)) return false;
        if (plain) doc.plain_scalars[pointer] = *plain;
        break;
      case YAML_SEQUENCE_START_EVENT:
        anchor = event.e.data.sequence_start.anchor;
        if (!standard_tag(event.e.data.sequence_start.tag, {"seq"}, at) || !sequence(pointer, depth, doc, out, height)) {
          return false;
        }
        break;
      case YAML_MAPPING_START_EVENT:
        anchor = event.e.data.mapping_start.anchor;
        if (!standard_tag(event.e.data.mapping_start.tag, {"map"}, at) || !mapping(pointer, depth, doc, out, height)) {
          return false;
        }
        break;
      default:
        return fail("malformed YAML: a value was expected here", at);
    }
    if (anchor != nullptr) {
      anchors_[std::string(text_of(anchor))] =
          Anchor{out, height, values_ - values_before, bytes_ - bytes_before, plain};
    }
    return true;
  }

  bool scalar(Event& event, json& out, std::optional<PlainScalar>& plain) {
    const auto& s = event.e.data.scalar;
    std::string_view text(reinterpret_cast<const char*>(s.value), s.length);
    if (!count(1, text.size(), event.e.start_mark)) return false;
    std::string_view tag = text_of(s.tag);
    if (!standard_tag(s.tag, {"str", "int", "float", "bool", "null"}, event.e.start_mark)) return false;
    std::string_view core = tag.starts_with(kCoreTag) ? tag.substr(kCoreTag.size()) : std::string_view{};
    const bool resolve = core.empty() && tag.empty() && s.style == YAML_PLAIN_SCALAR_STYLE;
    auto refused = [&](std::string_view what) {
      return fail(fmt::format("this value is {}", what), event.e.start_mark);
    };
    if (core == "str" || (core.empty() && !resolve)) {
      out = std::string(text);
      return true;
    }
    if ((resolve || core == "null") && is_core_null(text)) {
      out = nullptr;
      plain = resolve ? std::optional(PlainScalar::null) : std::nullopt;
      return true;
    }
    if (resolve || core == "bool") {
      if (auto b = core_boolean(text)) {
        out = *b;
        plain = resolve ? std::optional(PlainScalar::boolean) : std::nullopt;
        return true;
      }
    }
    if (resolve || core == "int" || core == "float") {
      auto number = core_integer(text);
      if (!number && core != "int") number = core_float(text);
      if (number) {
        if (!number->ok()) return refused(number->error());
        out = std::move(*number).value();
        if (core == "float") out = out.get<double>();
        plain = resolve ? std::optional(PlainScalar::number) : std::nullopt;
        return true;
      }
    }
    if (!resolve) return refused(fmt::format("tagged !!{} but is not one", core));
    out = std::string(text);
    plain = PlainScalar::string;
    return true;
  }

  bool sequence(const std::string& pointer, size_t depth, YamlDocument& doc, json& out, size_t& height) {
    out = json::array();
    for (size_t i = 0;; ++i) {
      Event item;
      if (!next(item)) return false;
      if (item.e.type == YAML_SEQUENCE_END_EVENT) return true;
      std::string item_pointer = fmt::format("{}/{}", pointer, i);
      doc.positions[item_pointer] = position(item.e.start_mark);
      size_t item_height = 0;
      json value;
      if (!node(item, item_pointer, depth + 1, doc, value, item_height)) return false;
      out.push_back(std::move(value));
      height = std::max(height, item_height + 1);
    }
  }

  bool mapping(const std::string& pointer, size_t depth, YamlDocument& doc, json& out, size_t& height) {
    out = json::object();
    std::vector<std::pair<json, yaml_mark_t>> merges;
    for (;;) {
      Event key;
      if (!next(key)) return false;
      if (key.e.type == YAML_MAPPING_END_EVENT) break;
      if (key.e.type != YAML_SCALAR_EVENT) return fail("a key must be a plain scalar, not a list, a mapping or an alias", key.e.start_mark);
      const auto& k = key.e.data.scalar;
      std::string name(reinterpret_cast<const char*>(k.value), k.length);
      if (!count(1, name.size(), key.e.start_mark)) return false;
      const bool merge = name == "<<" && k.style == YAML_PLAIN_SCALAR_STYLE && k.tag == nullptr;
      std::string member = fmt::format("{}/{}", pointer, name);
      if (!merge && out.contains(name)) return fail(fmt::format("duplicate key \"{}\"", name), key.e.start_mark);
      Event value_event;
      if (!next(value_event)) return false;
      json value;
      size_t value_height = 0;
      if (merge) {
        // The merged values keep the position of the << that brought them.
        YamlDocument merged_positions;
        if (!node(value_event, member, depth + 1, merged_positions, value, value_height)) return false;
        if (!merges.empty()) return fail("duplicate key \"<<\" (merge several mappings as << : [*a, *b])", key.e.start_mark);
        merges.emplace_back(std::move(value), key.e.start_mark);
      } else {
        doc.positions[member] = position(key.e.start_mark);
        if (!node(value_event, member, depth + 1, doc, value, value_height)) return false;
        out[name] = std::move(value);
      }
      height = std::max(height, value_height + 1);
    }
    // YAML's merge key: the mapping's own keys win, then the merged
    // mappings' in the order written.
    for (auto& [source, at] : merges) {
      std::vector<json*> sources;
      if (source.is_object()) sources.push_back(&source);
      if (source.is_array()) {
        for (auto& item : source) sources.push_back(&item);
      }
      if (sources.empty() || std::any_of(sources.begin(), sources.end(), [](const json* s) { return !s->is_object(); })) {
        return fail("a merge key (<<) takes a mapping or a list of mappings", at);
      }
      for (json* s : sources) {
        for (auto& [name, value] : s->items()) {
          if (out.contains(name)) continue;
          doc.positions[fmt::format("{}/{}", pointer, name)] = position(at);
          out[name] = value;
        }
      }
    }
    return true;
  }
};

}  // namespace

TextPosition position_in(const TextPositions& positions, std::string_view pointer) {
  for (;;) {
    if (auto found = positions.find(pointer); found != positions.end()) return found->second;
    auto slash = pointer.rfind('/');
    if (slash == std::string_view::npos) return {};
    pointer = pointer.substr(0, slash);
  }
}

std::string_view describe(PlainScalar scalar) {
  switch (scalar) {
    case PlainScalar::string: return "a string";
    case PlainScalar::number: return "a number";
    case PlainScalar::boolean: return "true or false";
    case PlainScalar::null: return "null (nothing)";
  }
  return "?";
}

Result<YamlDocument, YamlError> read_yaml(std::string_view text) { return Reader(text).read(); }

std::string_view yaml_library_version() { return yaml_get_version_string(); }

}  // namespace preflight
