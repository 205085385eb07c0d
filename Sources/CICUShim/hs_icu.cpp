#include "hs_icu.h"
#include <unicode/uversion.h>
#include <cstring>

extern "C" int32_t hs_icu_version(char *buffer, int32_t capacity) {
    UVersionInfo info;
    u_getVersion(info);
    char text[U_MAX_VERSION_STRING_LENGTH];
    u_versionToString(info, text);
    if ((int32_t)std::strlen(text) + 1 > capacity) return -1;
    std::strcpy(buffer, text);
    return 0;
}
