#include "hs_icu.h"

#include <unicode/brkiter.h>
#include <unicode/bytestream.h>
#include <unicode/casemap.h>
#include <unicode/filteredbrk.h>
#include <unicode/locid.h>
#include <unicode/normalizer2.h>
#include <unicode/ubrk.h>
#include <unicode/uchar.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
#include <unicode/uversion.h>

#include <cstring>
#include <memory>
#include <string>
#include <vector>

using icu::BreakIterator;
using icu::Locale;

namespace {

/// Accepts ICU ids ("en_GB", "en@ss=standard") and BCP 47 tags ("en-GB", "tr-TR").
Locale makeLocale(const char *id, UErrorCode &status) {
    if (id == nullptr || *id == 0) return Locale::getRoot();
    bool icuSyntax = std::strchr(id, '_') != nullptr || std::strchr(id, '@') != nullptr;
    Locale locale = (!icuSyntax && std::strchr(id, '-') != nullptr) ? Locale::forLanguageTag(id, status)
                                                                     : Locale(id);
    if (U_SUCCESS(status) && locale.isBogus()) status = U_ILLEGAL_ARGUMENT_ERROR;
    return locale;
}

const icu::Normalizer2 *normalizer(hs_icu_normal_form form, UErrorCode &status) {
    switch (form) {
    case HS_ICU_NFC: return icu::Normalizer2::getNFCInstance(status);
    case HS_ICU_NFKC: return icu::Normalizer2::getNFKCInstance(status);
    case HS_ICU_NFD: return icu::Normalizer2::getNFDInstance(status);
    case HS_ICU_NFKD: return icu::Normalizer2::getNFKDInstance(status);
    }
    status = U_ILLEGAL_ARGUMENT_ERROR;
    return nullptr;
}

/// Kind of a word segment whose ICU rule status is UBRK_WORD_NONE, from its first code point.
uint8_t kindOfUntypedSegment(const uint8_t *bytes, int32_t start, int32_t end) {
    uint8_t byte = bytes[start];
    if (byte < 0x80) {
        if (byte == ' ' || (byte >= '\t' && byte <= '\r')) return HS_ICU_TOKEN_WHITESPACE;
        if (byte < 0x20 || byte == 0x7f) return HS_ICU_TOKEN_OTHER;
        switch (byte) {
        case '$': case '+': case '<': case '=': case '>': case '^': case '`': case '|': case '~':
            return HS_ICU_TOKEN_SYMBOL;
        }
        return (u_isalnum(byte)) ? HS_ICU_TOKEN_OTHER : HS_ICU_TOKEN_PUNCTUATION;
    }
    int32_t i = start;
    UChar32 c;
    U8_NEXT(bytes, i, end, c);
    if (c < 0) return HS_ICU_TOKEN_OTHER;
    if (u_isUWhiteSpace(c)) return HS_ICU_TOKEN_WHITESPACE;
    switch (u_charType(c)) {
    case U_DASH_PUNCTUATION: case U_START_PUNCTUATION: case U_END_PUNCTUATION:
    case U_CONNECTOR_PUNCTUATION: case U_OTHER_PUNCTUATION: case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
        return HS_ICU_TOKEN_PUNCTUATION;
    case U_MATH_SYMBOL: case U_CURRENCY_SYMBOL: case U_MODIFIER_SYMBOL: case U_OTHER_SYMBOL:
        return HS_ICU_TOKEN_SYMBOL;
    default:
        return HS_ICU_TOKEN_OTHER;
    }
}

uint8_t kindOfWordSegment(int32_t ruleStatus, const uint8_t *bytes, int32_t start, int32_t end) {
    if (ruleStatus < UBRK_WORD_NONE_LIMIT) return kindOfUntypedSegment(bytes, start, end);
    if (ruleStatus < UBRK_WORD_NUMBER_LIMIT) return HS_ICU_TOKEN_NUMBER;
    if (ruleStatus < UBRK_WORD_LETTER_LIMIT) return HS_ICU_TOKEN_WORD;
    if (ruleStatus < UBRK_WORD_KANA_LIMIT) return HS_ICU_TOKEN_KANA;
    if (ruleStatus < UBRK_WORD_IDEO_LIMIT) return HS_ICU_TOKEN_IDEOGRAPHIC;
    return HS_ICU_TOKEN_OTHER;
}

bool isASCIIAlphanumeric(uint8_t byte) {
    return (byte >= '0' && byte <= '9') || ((byte | 0x20) >= 'a' && (byte | 0x20) <= 'z');
}

} // namespace

struct hs_icu_segmenter {
    std::unique_ptr<BreakIterator> iterator;
    bool words = false;
    UText text = UTEXT_INITIALIZER;
    const uint8_t *bytes = nullptr;
    int32_t length = 0;
    int32_t position = 0;
    /// Abbreviations with a period inside ("e.g."): ICU's filter keeps its reverse trie for the part
    /// before the first period only and so never suppresses a break after the whole abbreviation.
    /// The segmenter checks these itself.
    std::vector<std::string> dottedAbbreviations;

    ~hs_icu_segmenter() { utext_close(&text); }

    /// True if the break at `end` follows one of `dottedAbbreviations` plus spaces.
    bool followsDottedAbbreviation(int32_t end) const {
        int32_t i = end;
        while (i > position && bytes[i - 1] == ' ') i--;
        for (const std::string &abbreviation : dottedAbbreviations) {
            int32_t size = (int32_t)abbreviation.size();
            int32_t start = i - size;
            if (start < position) continue;
            if (std::memcmp(bytes + start, abbreviation.data(), (size_t)size) != 0) continue;
            if (start == 0 || !isASCIIAlphanumeric(bytes[start - 1])) return true;
        }
        return false;
    }
};

struct hs_icu_bare_iterator {
    UBreakIterator *iterator = nullptr;
    UText text = UTEXT_INITIALIZER;
    ~hs_icu_bare_iterator() {
        utext_close(&text);
        if (iterator) ubrk_close(iterator);
    }
};

extern "C" {

int32_t hs_icu_version(char *buffer, int32_t capacity) {
    UVersionInfo info;
    u_getVersion(info);
    char text[U_MAX_VERSION_STRING_LENGTH];
    u_versionToString(info, text);
    if ((int32_t)std::strlen(text) + 1 > capacity) return -1;
    std::strcpy(buffer, text);
    return 0;
}

const char *hs_icu_error_name(int32_t status) { return u_errorName((UErrorCode)status); }

int32_t hs_icu_is_normalized(hs_icu_normal_form form, const char *src, int32_t srcLength, int32_t *normalized) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2 *n = normalizer(form, status);
    if (U_FAILURE(status)) return status;
    UBool result = n->isNormalizedUTF8(icu::StringPiece(src, srcLength), status);
    *normalized = result ? 1 : 0;
    return status;
}

int32_t hs_icu_normalize(hs_icu_normal_form form, const char *src, int32_t srcLength,
                         char *dest, int32_t capacity, int32_t *length) {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2 *n = normalizer(form, status);
    if (U_FAILURE(status)) return status;
    icu::CheckedArrayByteSink sink(dest, capacity);
    n->normalizeUTF8(0, icu::StringPiece(src, srcLength), sink, nullptr, status);
    if (U_FAILURE(status)) return status;
    *length = sink.NumberOfBytesAppended();
    return sink.Overflowed() ? U_BUFFER_OVERFLOW_ERROR : status;
}

int32_t hs_icu_map_case(hs_icu_case_mapping mapping, const char *localeID, const char *src, int32_t srcLength,
                        char *dest, int32_t capacity, int32_t *length) {
    UErrorCode status = U_ZERO_ERROR;
    Locale locale = makeLocale(localeID, status);
    if (U_FAILURE(status)) return status;
    const char *name = locale.getName();
    switch (mapping) {
    case HS_ICU_UPPER:
        *length = icu::CaseMap::utf8ToUpper(name, 0, src, srcLength, dest, capacity, nullptr, status);
        break;
    case HS_ICU_LOWER:
        *length = icu::CaseMap::utf8ToLower(name, 0, src, srcLength, dest, capacity, nullptr, status);
        break;
    case HS_ICU_TITLE:
        // NULL iterator: ICU uses the locale's word break iterator.
        *length = icu::CaseMap::utf8ToTitle(name, 0, nullptr, src, srcLength, dest, capacity, nullptr, status);
        break;
    case HS_ICU_FOLD:
        *length = icu::CaseMap::utf8Fold(U_FOLD_CASE_DEFAULT, src, srcLength, dest, capacity, nullptr, status);
        break;
    default:
        status = U_ILLEGAL_ARGUMENT_ERROR;
    }
    // A result that exactly fills the buffer is not NUL-terminated; that is fine for Swift.
    if (status == U_STRING_NOT_TERMINATED_WARNING) status = U_ZERO_ERROR;
    return status;
}

hs_icu_segmenter *hs_icu_sentence_segmenter_open(const char *localeID, const char *const *abbreviations,
                                                 int32_t abbreviationCount, int32_t *statusOut) {
    UErrorCode status = U_ZERO_ERROR;
    Locale locale = makeLocale(localeID, status);
    // The filter below is what `@ss=standard` would add; keep the keyword out of the inner iterator
    // so that the text is not filtered twice.
    if (U_SUCCESS(status)) locale.setKeywordValue("ss", nullptr, status);
    std::unique_ptr<icu::FilteredBreakIteratorBuilder> builder(
        icu::FilteredBreakIteratorBuilder::createInstance(locale, status));
    std::unique_ptr<BreakIterator> inner(BreakIterator::createSentenceInstance(locale, status));
    auto segmenter = std::make_unique<hs_icu_segmenter>();
    for (int32_t i = 0; U_SUCCESS(status) && i < abbreviationCount; i++) {
        const char *abbreviation = abbreviations[i];
        builder->suppressBreakAfter(icu::UnicodeString::fromUTF8(abbreviation), status);
        const char *dot = std::strchr(abbreviation, '.');
        if (dot != nullptr && dot[1] != 0) segmenter->dottedAbbreviations.emplace_back(abbreviation);
    }
    if (U_SUCCESS(status)) segmenter->iterator.reset(builder->wrapIteratorWithFilter(inner.release(), status));
    if (U_FAILURE(status) || !segmenter->iterator) {
        *statusOut = U_FAILURE(status) ? status : U_MEMORY_ALLOCATION_ERROR;
        return nullptr;
    }
    *statusOut = U_ZERO_ERROR;
    return segmenter.release();
}

hs_icu_segmenter *hs_icu_word_segmenter_open(const char *localeID, int32_t *statusOut) {
    UErrorCode status = U_ZERO_ERROR;
    Locale locale = makeLocale(localeID, status);
    auto segmenter = std::make_unique<hs_icu_segmenter>();
    segmenter->words = true;
    segmenter->iterator.reset(BreakIterator::createWordInstance(locale, status));
    if (U_FAILURE(status) || !segmenter->iterator) {
        *statusOut = U_FAILURE(status) ? status : U_MEMORY_ALLOCATION_ERROR;
        return nullptr;
    }
    *statusOut = U_ZERO_ERROR;
    return segmenter.release();
}

void hs_icu_segmenter_close(hs_icu_segmenter *segmenter) { delete segmenter; }

int32_t hs_icu_segmenter_set_text(hs_icu_segmenter *segmenter, const char *text, int32_t length) {
    UErrorCode status = U_ZERO_ERROR;
    static const char empty[1] = {0};
    utext_openUTF8(&segmenter->text, text ? text : empty, text ? length : 0, &status);
    if (U_FAILURE(status)) return status;
    segmenter->iterator->setText(&segmenter->text, status);
    if (U_FAILURE(status)) return status;
    segmenter->bytes = reinterpret_cast<const uint8_t *>(text ? text : empty);
    segmenter->length = text ? length : 0;
    segmenter->position = segmenter->iterator->first();
    return U_ZERO_ERROR;
}

int32_t hs_icu_segmenter_next(hs_icu_segmenter *segmenter, int32_t *ends, uint8_t *kinds, int32_t capacity) {
    BreakIterator &iterator = *segmenter->iterator;
    const bool words = segmenter->words;
    const bool checkDotted = !segmenter->dottedAbbreviations.empty();
    int32_t count = 0;
    while (count < capacity) {
        int32_t end = iterator.next();
        if (end == BreakIterator::DONE) break;
        if (checkDotted && end < segmenter->length && segmenter->followsDottedAbbreviation(end)) continue;
        ends[count] = end;
        if (words) {
            kinds[count] = kindOfWordSegment(iterator.getRuleStatus(), segmenter->bytes, segmenter->position, end);
        } else if (kinds) {
            kinds[count] = HS_ICU_TOKEN_OTHER;
        }
        segmenter->position = end;
        count++;
    }
    return count;
}

hs_icu_bare_iterator *hs_icu_bare_iterator_open(int32_t sentence, const char *localeID, int32_t *statusOut) {
    UErrorCode status = U_ZERO_ERROR;
    auto bare = std::make_unique<hs_icu_bare_iterator>();
    bare->iterator = ubrk_open(sentence ? UBRK_SENTENCE : UBRK_WORD, localeID, nullptr, 0, &status);
    *statusOut = status;
    return U_FAILURE(status) ? nullptr : bare.release();
}

void hs_icu_bare_iterator_close(hs_icu_bare_iterator *iterator) { delete iterator; }

int64_t hs_icu_bare_count(hs_icu_bare_iterator *bare, const char *text, int32_t length, int32_t *statusOut) {
    UErrorCode status = U_ZERO_ERROR;
    utext_openUTF8(&bare->text, text, length, &status);
    ubrk_setUText(bare->iterator, &bare->text, &status);
    *statusOut = status;
    if (U_FAILURE(status)) return -1;
    int64_t count = 0;
    ubrk_first(bare->iterator);
    while (ubrk_next(bare->iterator) != UBRK_DONE) count++;
    return count;
}

} // extern "C"
