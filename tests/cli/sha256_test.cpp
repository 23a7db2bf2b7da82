// SHA-256 against the examples of FIPS 180-4 (NIST's published digests), whatever library
// computes it: run folders are checked with it, so a wrong digest would refuse every run.
#include <doctest/doctest.h>

#include <string>

#include "tools/sha256.hpp"

namespace dcsim::test {

TEST_CASE("sha256_hex gives the FIPS 180-4 digests of the standard's example messages") {
  CHECK(tools::sha256_hex("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  CHECK(tools::sha256_hex("") == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // 448 bits: the padding no longer fits in the message's block.
  CHECK(tools::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq") ==
        "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  CHECK(tools::sha256_hex("abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu") ==
        "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1");
  CHECK(tools::sha256_hex(std::string(1000000, 'a')) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST_CASE("sha256_hex reads every byte of the text, past a NUL") {
  const std::string with_nul("a\0b", 3);
  CHECK(tools::sha256_hex(with_nul) != tools::sha256_hex("a"));
  CHECK(tools::sha256_hex(with_nul) == "59b271ae1bbcb1d31d41929817f4b16fb439eb4f31520b5ad1d5ce98920a7138");
}

}  // namespace dcsim::test
