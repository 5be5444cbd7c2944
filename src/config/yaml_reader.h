// A YAML config read into the JSON value the schema checks, with where each
// value was written, so that a schema error gives line and column as a
// syntax error does.
//
// Scalars are typed by YAML 1.2's core schema, as Kubernetes manifests and
// yaml-language-server read them: unquoted true/false are booleans, 600
// and 0x1F numbers, ~ and null nulls, everything else a string (yes, no, on
// and off too: YAML 1.1's booleans are not). Anchors, aliases and merge
// keys (<<) are expanded; a document that expands past fixed bounds, holds
// a duplicate key, a tag beyond the standard ones, or more than one
// document is refused.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/result.h"

namespace preflight {

struct TextPosition {
  size_t line = 1;    // from 1
  size_t column = 1;  // from 1, in characters
};

// What an unquoted scalar was read as, for a schema error on it: "put it in
// quotes" is the remedy when YAML typed a value the schema wants as text.
enum class PlainScalar : unsigned char { string, number, boolean, null };

using TextPositions = std::map<std::string, TextPosition, std::less<>>;

// The position of the pointer, or of the nearest enclosing value written.
TextPosition position_in(const TextPositions& positions, std::string_view pointer);

struct YamlDocument {
  nlohmann::json value;
  // JSON pointer ("/phases/0/checks/1/url") -> where its key, or its item,
  // starts. Values that came through an alias have their alias's position.
  TextPositions positions;
  std::map<std::string, PlainScalar, std::less<>> plain_scalars;
};

struct YamlError {
  std::string what;  // a sentence that quotes no value of the document
  TextPosition at;
};

Result<YamlDocument, YamlError> read_yaml(std::string_view text);

// libyaml's version, for --version -v ("0.2.5").
std::string_view yaml_library_version();

// "a number", "true or false" ...: what YAML made of an unquoted scalar.
std::string_view describe(PlainScalar scalar);

}  // namespace preflight
