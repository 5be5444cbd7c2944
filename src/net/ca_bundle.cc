#include "net/ca_bundle.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

#include <curl/curl.h>
#include <fmt/format.h>
#include <openssl/x509.h>

namespace preflight::net {
namespace {

// The bundle a TLS check uses when it names none: libcurl's compiled-in
// one (what libcurl loads without CURLOPT_CAINFO), else OpenSSL's.
const std::string& system_bundle() {
  static const std::string path = [] {
    std::string p;
    if (CURL* e = curl_easy_init()) {
      char* info = nullptr;
      if (curl_easy_getinfo(e, CURLINFO_CAINFO, &info) == CURLE_OK && info) p = info;
      curl_easy_cleanup(e);
    }
    return p.empty() ? std::string(X509_get_default_cert_file()) : p;
  }();
  return path;
}

std::optional<std::string> read_file(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return std::nullopt;
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return std::nullopt;
  return text.str();
}

// "5ad8a5d6.0": a link `openssl rehash` makes (a CRL's is "hash.r0").
bool hashed_name(std::string_view name) {
  if (name.size() < 10 || name[8] != '.') return false;
  auto hex = [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); };
  auto digit = [](char c) { return c >= '0' && c <= '9'; };
  return std::all_of(name.begin(), name.begin() + 8, hex) && std::all_of(name.begin() + 9, name.end(), digit);
}

// A directory's certificates in name order: the hashed links, as OpenSSL
// looks them up; else every *.pem and *.crt.
std::optional<std::string> directory_certificates(const std::filesystem::path& dir) {
  std::vector<std::filesystem::path> hashed_names, plain_names;
  std::error_code ec;
  for (std::filesystem::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
    const std::string name = it->path().filename().string();
    if (hashed_name(name)) hashed_names.push_back(it->path());
    else if (name.ends_with(".pem") || name.ends_with(".crt")) plain_names.push_back(it->path());
  }
  if (ec) return std::nullopt;
  auto& names = hashed_names.empty() ? plain_names : hashed_names;
  std::sort(names.begin(), names.end());
  std::string pem;
  for (const auto& name : names) {
    if (auto text = read_file(name)) pem += *text + "\n";
  }
  return pem;
}

std::optional<std::string> certificates_at(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return directory_certificates(path);
  return read_file(path);
}

Unexpected<Failure> unreadable(const std::string& path, std::string why) {
  Failure f{FailureKind::tls, fmt::format("cannot read the CA file {}: {}", path, why), {}, Stage::tls, "CA_FILE_UNREADABLE"};
  f.cause = Cause::ca_file_unreadable;
  return Unexpected<Failure>{std::move(f)};
}

}  // namespace

Result<std::string> library_ca_file(const std::string& file, const std::vector<std::string>& added) {
  if (added.empty()) return file;
  static std::mutex mutex;
  static std::map<std::vector<std::string>, std::string> built;
  std::vector<std::string> key{file};
  key.insert(key.end(), added.begin(), added.end());
  std::lock_guard lock(mutex);
  if (auto it = built.find(key); it != built.end()) return it->second;

  std::string pem;
  if (file.empty()) {
    // An image without a system bundle still trusts what is added, as
    // Node does with NODE_EXTRA_CA_CERTS.
    if (auto text = read_file(system_bundle())) pem = *text + "\n";
  } else if (auto text = certificates_at(file)) {
    pem = *text + "\n";
  } else {
    return unreadable(file, "no such file, or not readable by this user");
  }
  for (const auto& path : added) {
    auto text = certificates_at(path);
    if (!text) return unreadable(path, "no such file or directory, or not readable by this user");
    pem += *text + "\n";
  }
  const int fd = memfd_create("preflight-ca-bundle", MFD_CLOEXEC);
  if (fd < 0) return unreadable(key.back(), "cannot make the combined bundle in memory (memfd_create failed)");
  for (size_t done = 0; done < pem.size();) {
    ssize_t n = write(fd, pem.data() + done, pem.size() - done);
    if (n <= 0) {
      close(fd);
      return unreadable(key.back(), "cannot write the combined bundle in memory");
    }
    done += static_cast<size_t>(n);
  }
  std::string path = fmt::format("/proc/self/fd/{}", fd);
  if (access(path.c_str(), R_OK) != 0) {
    close(fd);
    return unreadable(key.back(), "/proc is not mounted, and the libraries take the combined bundle by path");
  }
  built.emplace(std::move(key), path);
  return path;
}

}  // namespace preflight::net
