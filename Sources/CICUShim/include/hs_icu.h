#ifndef HS_ICU_H
#define HS_ICU_H
/* Prefixed C wrappers over ICU 72. ICU renames its C symbols with version macros
   (ubrk_open -> ubrk_open_72) that Swift cannot see, so Swift calls these instead.

   Conventions:
   - Functions return an ICU status code (UErrorCode as int32_t): 0 is success, negative values are
     warnings (also success), positive values are errors; hs_icu_error_name names any code.
   - Text is always UTF-8 (pointer + byte length). Offsets are UTF-8 byte offsets into that text:
     the break iterators run over a UTF-8 UText, whose native indices are those byte offsets.
   - Handles are opaque and not thread-safe: use one handle from one thread at a time. */
#include <stdint.h>
#ifdef __cplusplus
extern "C" {
#endif

/// Success and the one error the callers distinguish (U_BUFFER_OVERFLOW_ERROR).
enum { HS_ICU_OK = 0, HS_ICU_BUFFER_OVERFLOW = 15 };

/// ICU's version string, e.g. "72.1". Returns 0 on success.
int32_t hs_icu_version(char *buffer, int32_t capacity);

/// ICU's name of a status code, e.g. "U_ILLEGAL_ARGUMENT_ERROR". Never NULL.
const char *hs_icu_error_name(int32_t status);

/* ---- Normalisation and case mapping (UTF-8 in, UTF-8 out) ----

   Each writes at most `capacity` bytes to `dest` and sets `*length` to the full length of the result.
   If the result does not fit, returns HS_ICU_BUFFER_OVERFLOW: call again with `*length` bytes. */

typedef enum { HS_ICU_NFC = 0, HS_ICU_NFKC = 1, HS_ICU_NFD = 2, HS_ICU_NFKD = 3 } hs_icu_normal_form;

/// Sets `*normalized` to 1 if `src` is already in `form`, else 0.
int32_t hs_icu_is_normalized(hs_icu_normal_form form, const char *src, int32_t srcLength, int32_t *normalized);

int32_t hs_icu_normalize(hs_icu_normal_form form, const char *src, int32_t srcLength,
                         char *dest, int32_t capacity, int32_t *length);

typedef enum { HS_ICU_UPPER = 0, HS_ICU_LOWER = 1, HS_ICU_TITLE = 2, HS_ICU_FOLD = 3 } hs_icu_case_mapping;

/// Maps case with the rules of `locale` (ICU or BCP 47 id; "" = root). Folding ignores the locale.
int32_t hs_icu_map_case(hs_icu_case_mapping mapping, const char *locale, const char *src, int32_t srcLength,
                        char *dest, int32_t capacity, int32_t *length);

/* ---- Segmentation ---- */

/// What a word-break segment is. The first four come from ICU's rule status; the rest from the
/// general category of the segment's first code point when ICU's status is UBRK_WORD_NONE.
typedef enum {
    HS_ICU_TOKEN_WORD = 0,        /* UBRK_WORD_LETTER */
    HS_ICU_TOKEN_NUMBER = 1,      /* UBRK_WORD_NUMBER */
    HS_ICU_TOKEN_KANA = 2,        /* UBRK_WORD_KANA */
    HS_ICU_TOKEN_IDEOGRAPHIC = 3, /* UBRK_WORD_IDEO */
    HS_ICU_TOKEN_WHITESPACE = 4,
    HS_ICU_TOKEN_PUNCTUATION = 5,
    HS_ICU_TOKEN_SYMBOL = 6,
    HS_ICU_TOKEN_OTHER = 7
} hs_icu_token_kind;

typedef struct hs_icu_segmenter hs_icu_segmenter;

/// A sentence segmenter: ICU's sentence rules for `locale`, filtered by FilteredBreakIteratorBuilder
/// with the locale's own abbreviation data (as `@ss=standard` does) plus `abbreviations`
/// (UTF-8, NUL-terminated, each ending in "."). Returns NULL and sets `*status` on failure.
hs_icu_segmenter *hs_icu_sentence_segmenter_open(const char *locale, const char *const *abbreviations,
                                                 int32_t abbreviationCount, int32_t *status);

/// A word segmenter for `locale` that reports a hs_icu_token_kind for every segment.
hs_icu_segmenter *hs_icu_word_segmenter_open(const char *locale, int32_t *status);

void hs_icu_segmenter_close(hs_icu_segmenter *segmenter);

/// Starts segmenting `text` (not copied: it must stay valid and unchanged while boundaries are read).
int32_t hs_icu_segmenter_set_text(hs_icu_segmenter *segmenter, const char *text, int32_t length);

/// Writes the next boundaries (end offsets of segments, increasing, the last one == length) to
/// `ends`, and for word segmenters the kind of each segment to `kinds` (may be NULL otherwise).
/// Returns how many were written, at most `capacity`; 0 once the text is exhausted.
int32_t hs_icu_segmenter_next(hs_icu_segmenter *segmenter, int32_t *ends, uint8_t *kinds, int32_t capacity);

/* ---- Baseline for benchmarks ---- */

typedef struct hs_icu_bare_iterator hs_icu_bare_iterator;

/// A plain ubrk iterator (no filter, no status): `sentence` nonzero for sentences, else words.
hs_icu_bare_iterator *hs_icu_bare_iterator_open(int32_t sentence, const char *locale, int32_t *status);
void hs_icu_bare_iterator_close(hs_icu_bare_iterator *iterator);

/// Counts boundaries with a bare ubrk_next loop over a UTF-8 UText of `text`. Returns -1 on error.
int64_t hs_icu_bare_count(hs_icu_bare_iterator *iterator, const char *text, int32_t length, int32_t *status);

#ifdef __cplusplus
}
#endif
#endif
