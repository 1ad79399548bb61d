#include "printable.hpp"

#include <fmt/format.h>

namespace computedebt::cli {

namespace {

/// The length of the valid UTF-8 sequence starting `text` (shortest form, no surrogates, at most U+10FFFF) and
/// its code point; 0 when the first byte does not start one.
std::size_t utf8_sequence(std::string_view text, char32_t& code_point) {
  const auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  char32_t min = 0;
  if (lead < 0x80) {
    code_point = lead;
    return 1;
  }
  if ((lead & 0xE0) == 0xC0) {
    length = 2, code_point = lead & 0x1F, min = 0x80;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3, code_point = lead & 0x0F, min = 0x800;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4, code_point = lead & 0x07, min = 0x10000;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (std::size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i) & 0x3F);
  }
  if (code_point < min || code_point > 0x10FFFF || (code_point >= 0xD800 && code_point <= 0xDFFF)) return 0;
  return length;
}

}  // namespace

std::string printable(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    char32_t code_point = 0;
    const std::size_t length = utf8_sequence(text, code_point);
    if (length == 0) {
      out += fmt::format("\\x{:02x}", static_cast<unsigned char>(text[0]));
      text.remove_prefix(1);
      continue;
    }
    if (code_point < 0x20 || code_point == 0x7F)
      out += fmt::format("\\x{:02x}", static_cast<unsigned>(code_point));
    else if (code_point >= 0x80 && code_point <= 0x9F)
      out += fmt::format("\\u{:04x}", static_cast<unsigned>(code_point));
    else
      out.append(text.substr(0, length));
    text.remove_prefix(length);
  }
  return out;
}

}  // namespace computedebt::cli
