// The variables MySQL and MariaDB applications are configured with.
#include "base/text.h"
#include "probes/profile_offer.h"

namespace preflight {
namespace {

// A DATABASE_URL for MySQL or MariaDB: its scheme (mysql://, mariadb://,
// mysql2://, mysql+DRIVER://, jdbc:mysql://) or a Go DSN's tcp(...) or
// unix(...) address.
bool names_mysql(std::string_view url) {
  std::string lower = to_lower(trim(url));
  if (lower.starts_with("jdbc:")) lower.erase(0, 5);
  size_t sep = lower.find("://");
  if (sep == std::string::npos) return lower.find("@tcp(") != std::string::npos || lower.find("@unix(") != std::string::npos;
  std::string base = lower.substr(0, std::min(sep, lower.find('+')));
  return base == "mysql" || base == "mariadb" || base == "mysql2";
}

}  // namespace

void offer_mysql_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out) {
  auto offer = [&](int rank, nlohmann::json fields, std::string variable) {
    out.push_back({ProfilePhase::database, "database", rank, "mysql", std::move(fields), std::move(variable)});
  };
  if (vars.has("DATABASE_URL") && names_mysql(vars.value("DATABASE_URL"))) {
    offer(profile_rank::kOwnScheme, {{"url", "${DATABASE_URL}"}}, "DATABASE_URL");
  }
  if (vars.has("MYSQL_HOST")) {
    // The official image's variables; a host that is a path is a socket
    // (Cloud SQL for MySQL: /cloudsql/PROJECT:REGION:INSTANCE).
    std::string url = vars.value("MYSQL_HOST").starts_with('/')
                          ? "mysql:///${MYSQL_DATABASE:-}?unix_socket=${MYSQL_HOST}"
                          : "mysql://${MYSQL_HOST}:${MYSQL_PORT:-3306}/${MYSQL_DATABASE:-}";
    offer(profile_rank::kHostVariable,
          {{"url", url}, {"user", "${MYSQL_USER:-root}"}, {"password", "${MYSQL_PASSWORD:-}"}}, "MYSQL_HOST");
  }
}

}  // namespace preflight
