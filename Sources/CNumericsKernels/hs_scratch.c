#include "hs_scratch.h"

#include <pthread.h>
#include <stdlib.h>

struct scratch {
    void *buffer[HS_SCRATCH_SLOTS];
    size_t capacity[HS_SCRATCH_SLOTS];
};
static pthread_key_t scratch_key;
static pthread_once_t scratch_once = PTHREAD_ONCE_INIT;

static void release_scratch(void *pointer) {
    struct scratch *s = pointer;
    for (int slot = 0; slot < HS_SCRATCH_SLOTS; ++slot) free(s->buffer[slot]);
    free(s);
}

static void make_scratch_key(void) { pthread_key_create(&scratch_key, release_scratch); }

void *hs_thread_scratch(enum hs_scratch_slot slot, size_t bytes) {
    pthread_once(&scratch_once, make_scratch_key);
    struct scratch *s = pthread_getspecific(scratch_key);
    if (!s) {
        s = calloc(1, sizeof *s);
        if (!s || pthread_setspecific(scratch_key, s) != 0) {
            free(s);
            return 0;
        }
    }
    if (s->capacity[slot] < bytes) {
        free(s->buffer[slot]);
        size_t rounded = (bytes + 63) / 64 * 64;
        s->buffer[slot] = aligned_alloc(64, rounded);
        s->capacity[slot] = s->buffer[slot] ? rounded : 0;
    }
    return s->buffer[slot];
}
