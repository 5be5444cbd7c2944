// The files libpq reads by itself: its password file, whose passwords
// preflight never sees pass (a server may quote what it was sent), and its
// connection service file, whose keywords fill in a connection string.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "base/target.h"

namespace preflight {

// Every password of the password file libpq would read (passfile=, else
// PGPASSFILE, else .pgpass in the home directory), whichever line would
// match: a superset, since the line libpq picks depends on what the server
// is called. (A service file's password is the reader's: service_file.h.)
std::vector<std::string> libpq_file_passwords(const Target& target);

// The password of each line of a password file's text, its backslash
// escapes undone, as libpq's passwordFromFile reads it.
std::vector<std::string> pgpass_passwords(std::string_view text);

// libpq's connection service file: "service=NAME" names a section of
// PGSERVICEFILE or ~/.pg_service.conf, else of the system file
// (PGSYSCONFDIR/pg_service.conf; Debian's /etc/postgresql-common), whose
// keyword=value lines fill in what the connection string leaves unset.
struct ServiceDefinition {
  std::string file;  // where the section was found
  std::vector<std::pair<std::string, std::string>> keywords;  // in file order
};

// The section named `service`, looked for as libpq looks for it; the
// failure names the files read (libpq: 'definition of service "x" not
// found'), never a value.
Result<ServiceDefinition> find_service(const std::string& service);

// The keyword=value lines of section `service` in `text` (libpq's
// parseServiceFile: blank lines and '#' comments skipped, leading blanks
// and trailing white space removed); nullopt when there is no such section.
std::optional<std::vector<std::pair<std::string, std::string>>> service_section(std::string_view text, std::string_view service);

}  // namespace preflight
