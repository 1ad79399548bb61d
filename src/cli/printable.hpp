#pragma once
// Deal strings (names, ids, messages quoting them) made safe to print to a terminal or a text file.

#include <string>
#include <string_view>

namespace computedebt::cli {

/// `text` with every control character shown as an escape, so that a deal cannot drive the terminal: C0
/// controls (newline and tab included) and DEL as `\xNN`, C1 controls (U+0080-U+009F) as `\uNNNN`, and bytes
/// that are not valid UTF-8 as `\xNN`. Printable UTF-8 text is kept as it is.
std::string printable(std::string_view text);

}  // namespace computedebt::cli
