// SHA-256 (FIPS 180-4) through OpenSSL's EVP interface, for the SHA-256 of every file a run
// folder lists, scenario fingerprints and stable run ids.
#pragma once

#include <string>
#include <string_view>

namespace dcsim::tools {

/// Lower-case hex digest of `data`.
std::string sha256_hex(std::string_view data);

}  // namespace dcsim::tools
