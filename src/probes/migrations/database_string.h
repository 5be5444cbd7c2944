// The migrations check's connection string: a MySQL or MariaDB form is read
// by the mysql reader, anything else by the postgres reader.
#pragma once

#include <string_view>

#include "base/result.h"
#include "base/target.h"

namespace preflight {

Result<Target> read_database(std::string_view text);

}  // namespace preflight
