// Built only with SHREWD_FUZZ (formats/CMakeLists.txt): Debian's stb_image.h compiled into
// shrewd_formats with the sanitizers and coverage, so that fuzz/image_file_fuzz sees into the image
// decoders. Every other build links Debian's libstb, which is built from the same header.
#define STB_IMAGE_IMPLEMENTATION
#include <stb_image.h>
