/* contest: a contest's definition (the cchc-contest/1 JSON format, see
 * docs/contest-format.md), its settings and its loading into the database. */
#ifndef CCHC_CONTEST_H
#define CCHC_CONTEST_H
#include <jansson.h>
#include <stdint.h>

#include "db/db.h"
#include "quiz/rank.h"

enum { FIELD_OFF = 0, FIELD_OPTIONAL = 1, FIELD_REQUIRED = 2 };
enum { REVIEW_AFTER_SUBMIT = 0, REVIEW_AFTER_CLOSE = 1, REVIEW_NEVER = 2 };
enum { AGG_BEST = 0, AGG_SUM = 1 };
enum { COUNT_BEST = 0, COUNT_LAST = 1 };
/* Who gets a participation certificate (docs/contest-format.md). */
enum { CERT_WHO_FINISHED = 0, CERT_WHO_MIN_SCORE = 1, CERT_WHO_OFF = 2 };
/* Tracks share the bank's numbering: 1 civil servants, 2 citizens. */
enum { TRACK_CBCCVC = 1, TRACK_CITIZEN = 2 };

typedef struct contest_settings {
    unsigned tracks;       /* bit (1 << track) */
    int cccd;              /* FIELD_* */
    int email;             /* FIELD_* */
    char consent_text[2048];
    int review;            /* REVIEW_* */
    rank_order ranking;
    int aggregate;         /* AGG_* */
    int grace_ms;
    int points;            /* per question */
    int cert_who;          /* CERT_WHO_* */
    int cert_min_score;    /* points, for CERT_WHO_MIN_SCORE */
    int cert_show_score;   /* print the score on the certificate */
    char cert_signer_title[304];
    char cert_signer_name[304];
} contest_settings;

/* Parses the settings JSON stored with a contest; unknown or missing parts
 * take their defaults. 0, or -1 if the text is not JSON. */
int contest_settings_parse(const char *json, contest_settings *out);
/* The settings of contest id, through a small per-thread cache that is
 * refreshed when the contest's updated_at changes. 0, or -1 if no such contest. */
int contest_settings_load(db_conn *c, int64_t contest_id, contest_settings *out);
/* Serialises settings for storage and for the public contest view. */
json_t *contest_settings_json(const contest_settings *s);

const char *contest_track_name(int track);
const char *contest_track_label(int track);
int contest_track_from_name(const char *name);

/* Validates a contest file and writes it (contest, units, rounds, banks) with
 * c, inside the caller's transaction; an existing contest with the same id is
 * updated. On error returns -1 with a message naming the field (for example
 * "rounds[1].closes_at: ...") in err. Times may be relative to now_ms. */
int contest_load(db_conn *c, json_t *doc, int64_t now_ms, int64_t *contest_id, char *err,
                 size_t errn);

#endif
