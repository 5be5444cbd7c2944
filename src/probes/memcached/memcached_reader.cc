#include "probes/memcached/memcached_reader.h"

#include <charconv>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "base/redact.h"
#include "base/text.h"
#include "base/url.h"

namespace preflight {
namespace {

constexpr std::string_view kListForm = "server list";
constexpr std::string_view kSeparators = ",; \t\r\n";

struct Server {
  Endpoint endpoint;
  std::string user;
  std::optional<std::string> password;
};

Result<Target> refuse(std::string_view form, const std::string& problem) {
  return fail(FailureKind::invalid_config, fmt::format("{}: {}", form, problem),
              "write host:port, a list such as host1:11211,host2:11211, or unix:/path/to/memcached.sock");
}

std::optional<uint16_t> port_number(std::string_view text) {
  unsigned value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || value == 0 || value > 65535) return std::nullopt;
  return static_cast<uint16_t>(value);
}

// One server as pymemcache's normalize_server_spec reads it, with memjs's
// "user:password@" in front; "" or the problem, which never quotes it.
std::string read_server(std::string_view item, bool decode_userinfo, Server& out) {
  if (size_t at = item.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = item.substr(0, at);
    size_t colon = userinfo.find(':');
    auto user = decode_userinfo ? percent_decode(userinfo.substr(0, colon)) : std::string(userinfo.substr(0, colon));
    std::optional<std::string> password;
    if (colon != std::string_view::npos) {
      password = decode_userinfo ? percent_decode(userinfo.substr(colon + 1)) : std::string(userinfo.substr(colon + 1));
      if (!password) return "the password has a broken %-escape";
    }
    if (!user) return "the user name has a broken %-escape";
    out.user = *user;
    out.password = std::move(password);
    item = item.substr(at + 1);
  }
  if (item.starts_with("unix:") || item.starts_with('/')) {
    std::string_view path = item.starts_with('/') ? item : item.substr(5);
    if (path.empty()) return "a unix: server has no socket path";
    out.endpoint = Endpoint{"", 0, std::string(path)};
    return {};
  }
  std::string_view host = item, port;
  if (item.starts_with('[')) {
    size_t close = item.find(']');
    if (close == std::string_view::npos) return "an IPv6 address has no closing ]";
    host = item.substr(1, close - 1);
    std::string_view after = item.substr(close + 1);
    if (!after.empty() && !after.starts_with(':')) return "an IPv6 address is followed by something other than :port";
    if (!after.empty()) port = after.substr(1);
    if (after == ":") return "the port is empty";
  } else if (size_t colon = item.find(':'); colon != std::string_view::npos) {
    if (item.find(':', colon + 1) != std::string_view::npos) return "an IPv6 address needs brackets, as in [::1]:11211";
    host = item.substr(0, colon);
    port = item.substr(colon + 1);
    if (port.empty()) return "the port is empty";
  }
  if (host.empty()) return "a server has no host";
  out.endpoint = Endpoint{std::string(host), kDefaultMemcachedPort, {}};
  if (!port.empty()) {
    auto number = port_number(port);
    if (!number) return "the port is not a number from 1 to 65535";
    out.endpoint.port = *number;
  }
  return {};
}

std::string shown_server(const Server& s) {
  std::string credentials = s.user.empty() && !s.password ? "" : percent_encode(s.user) + (s.password ? ":***" : "") + "@";
  return credentials + s.endpoint.display();
}

// The servers of `list`, split at any of `separators`; an empty item (a
// trailing comma, two spaces) is no server.
Result<Target> read_list(std::string_view list, std::string_view separators, std::string_view form, bool decode_userinfo,
                         Target t) {
  std::vector<std::string> shown;
  size_t position = 0;
  for (size_t start = 0; start <= list.size();) {
    size_t end = std::min(list.find_first_of(separators, start), list.size());
    std::string_view item = list.substr(start, end - start);
    start = end + 1;
    if (item.empty()) continue;
    ++position;
    Server server;
    if (std::string problem = read_server(item, decode_userinfo, server); !problem.empty()) {
      return refuse(form, fmt::format("server {}: {}", position, problem));
    }
    if (server.password) {
      if (!server.password->empty()) t.secrets.push_back(*server.password);
      if (!t.password) {
        t.user = server.user;
        t.password = server.password;
      }
    } else if (t.user.empty()) {
      t.user = server.user;
    }
    shown.push_back(shown_server(server));
    t.endpoints.push_back(std::move(server.endpoint));
  }
  if (t.endpoints.empty()) return refuse(form, "it names no server");
  t.form = std::string(form);
  t.scheme = "memcached";
  t.tls.use = TlsUse::off;
  t.shown = fmt::format("{}", fmt::join(shown, ","));
  return t;
}

// memcached://, and django-environ's memcache:// and pymemcache://: the
// netloc is a list (django-environ splits it at ',', Django's backend at
// ';'); a path is the socket (django-environ makes any path "unix:PATH",
// even beside a host); the query holds the cache's options.
Result<Target> read_url(std::string_view text, std::string_view scheme) {
  const bool own = scheme == "memcached";
  std::string form = own ? "URL" : fmt::format("django-environ URL ({}://)", scheme);
  std::string_view rest = text.substr(scheme.size() + 3);
  size_t netloc_end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string_view netloc = rest.substr(0, netloc_end), after = rest.substr(netloc_end);
  std::string_view path = after.substr(0, std::min(after.find_first_of("?#"), after.size()));
  std::string_view query = after.substr(path.size());
  Target t;
  if (!query.empty() && query.front() == '?') {
    query.remove_prefix(1);
    for (const auto& pair : split(query.substr(0, std::min(query.find('#'), query.size())), '&')) {
      if (!pair.empty()) t.ignored.push_back(std::string(pair.substr(0, pair.find('='))));
    }
  }
  if (own && !path.empty() && path != "/") {
    if (!netloc.empty()) return refuse(form, "memcached:// has no path beside a host; a socket is memcached:///path/to/memcached.sock");
  }
  if (!own && path == "/") {
    return refuse(form, "django-environ takes the path \"/\" for the server's Unix socket; drop the slash after the host");
  }
  const bool socket = !path.empty() && (!own || netloc.empty()) && path != "/";
  if (socket && !netloc.empty()) {
    t.ignored.push_back("the host (django-environ connects to the path's socket instead)");
    // Unused, its credentials are still secrets.
    if (auto unused = read_list(netloc, ",;", form, true, Target{}); unused.ok()) t.secrets = unused->secrets;
  }
  if (socket) {
    auto decoded = percent_decode(path);
    if (!decoded) return refuse(form, "the socket path has a broken %-escape");
    t.endpoints.push_back(Endpoint{"", 0, own ? *decoded : std::string(path)});
    t.form = form;
    t.scheme = "memcached";
    t.tls.use = TlsUse::off;
    t.shown = fmt::format("{}://{}", scheme, path);
    return t;
  }
  auto target = read_list(netloc, ",;", form, true, std::move(t));
  if (target.ok()) target->shown = fmt::format("{}://{}{}", scheme, target->shown, path);
  return target;
}

}  // namespace

Result<Target> read_memcached(std::string_view raw) {
  std::string text = trim(raw);
  if (text.empty()) return refuse(kListForm, "it names no server");
  size_t sep = text.find("://");
  if (sep != std::string::npos) {
    std::string scheme = to_lower(std::string_view(text).substr(0, sep));
    if (scheme != "memcached" && scheme != "memcache" && scheme != "pymemcache") {
      return fail(FailureKind::invalid_config, fmt::format("a memcached check cannot use a {}:// URL", scheme),
                  "use memcached://host:11211, django-environ's memcache:// or pymemcache://, or host:port");
    }
    return read_url(text, scheme);
  }
  Target t;
  if (text.find_first_of(" \t\r\n") != std::string::npos) {
    // Read as separators, as Dalli, spymemcached and libmemcached do;
    // lint shows it, for an app on the clients that do not.
    t.ignored.push_back("the white space between servers (Django, pymemcache and memjs keep it in the host name, which cannot resolve)");
  }
  return read_list(text, kSeparators, kListForm, false, std::move(t));
}

}  // namespace preflight
