#ifndef HS_ICU_H
#define HS_ICU_H
/* Prefixed C wrappers over ICU 72. ICU renames its C symbols with version macros
   (ubrk_open -> ubrk_open_72) that Swift cannot see, so Swift calls these instead. */
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/// ICU's version string, e.g. "72.1". Returns 0 on success.
int32_t hs_icu_version(char *buffer, int32_t capacity);

#ifdef __cplusplus
}
#endif
#endif
