// The variables PostgreSQL applications are configured with.
#include "probes/profile_offer.h"

namespace preflight {

void offer_postgres_checks(const ProfileVariables& vars, std::vector<ProfileOffer>& out) {
  auto offer = [&](int rank, nlohmann::json fields, std::string variable) {
    out.push_back({ProfilePhase::database, "database", rank, "postgres", std::move(fields), std::move(variable)});
  };
  // DATABASE_URL is PostgreSQL's unless another protocol's scheme claims it.
  if (vars.has("DATABASE_URL")) offer(profile_rank::kAnyUrl, {{"url", "${DATABASE_URL}"}}, "DATABASE_URL");
  if (vars.has("POSTGRES_HOST")) {
    // The official image's variables. ?host= takes what the authority
    // cannot: a socket directory such as /cloudsql/PROJECT:REGION:INSTANCE,
    // or an IPv6 literal.
    offer(profile_rank::kHostVariable,
          {{"url", "postgresql:///${POSTGRES_DB:-postgres}?host=${POSTGRES_HOST}&port=${POSTGRES_PORT:-5432}"},
           {"user", "${POSTGRES_USER:-postgres}"},
           {"password", "${POSTGRES_PASSWORD:-}"}},
          "POSTGRES_HOST");
  }
  if (vars.has("PGHOST") || vars.has("PGDATABASE")) {
    // libpq's own variables, read as libpq reads them.
    offer(profile_rank::kClientVariable,
          {{"url", "postgresql:///${PGDATABASE:-}?host=${PGHOST:-}&port=${PGPORT:-5432}"},
           {"user", "${PGUSER:-}"},
           {"password", "${PGPASSWORD:-}"},
           {"sslmode", "${PGSSLMODE:-}"},
           {"sslrootcert", "${PGSSLROOTCERT:-}"}},
          vars.has("PGHOST") ? "PGHOST" : "PGDATABASE");
  }
}

}  // namespace preflight
