// Passwords that are the first ones anyone tries: the defaults of the
// servers preflight speaks to and of their images (guest, postgres, redis),
// and the commonest of every leaked list.
#pragma once

#include <string_view>

namespace preflight {

// Whether `value` is one of them, in any case.
bool is_well_known_password(std::string_view value);

}  // namespace preflight
