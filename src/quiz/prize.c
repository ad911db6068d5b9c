#include "quiz/prize.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "contest/contest.h"
#include "db/audit.h"
#include "quiz/rank.h"
#include "util/clock.h"
#include "util/log.h"

/* ---- allocation (pure) ---- */

static int same_key(const prize_cand *a, const prize_cand *b, int k)
{
    if (a->null[k] || b->null[k])
        return a->null[k] == b->null[k];
    return a->key[k] == b->key[k];
}

int prize_allocate(const prize_cand *cands, int n, int nkeys, const prize_tier *tiers, int ntiers,
                   prize_award *awards, int max_awards, prize_tie *ties, int max_ties, int *nties)
{
    int na = 0;
    int tier = 0, left = ntiers > 0 ? tiers[0].count : 0;
    while (tier < ntiers && left <= 0) {
        tier++;
        left = tier < ntiers ? tiers[tier].count : 0;
    }
    int *got = calloc((size_t)(n > 0 ? n : 1), sizeof *got);
    if (!got) {
        *nties = 0;
        return 0;
    }
    for (int i = 0; i < n && tier < ntiers && na < max_awards; i++) {
        awards[na++] = (prize_award){i, tier, i + 1};
        got[i] = tier + 1;
        if (--left <= 0) {
            do {
                tier++;
                left = tier < ntiers ? tiers[tier].count : 0;
            } while (tier < ntiers && left <= 0);
        }
    }
    /* the zone: every winner and the first one without a prize */
    int zone = na < n ? na + 1 : n;
    *nties = 0;
    for (int i = 1; i < zone && nkeys > 0; i++) {
        if (!same_key(&cands[i - 1], &cands[i], 0))
            continue;
        int k = 1;
        while (k < nkeys && same_key(&cands[i - 1], &cands[i], k))
            k++;
        if (*nties < max_ties)
            ties[(*nties)++] = (prize_tie){i - 1, i, k < nkeys ? k : -1, got[i - 1] != got[i]};
    }
    free(got);
    return na;
}

/* ---- configuration ---- */

static json_t *config_default(unsigned tracks)
{
    (void)tracks;
    return json_pack("{s:{s:b, s:[{s:s, s:i}, {s:s, s:i}, {s:s, s:i}, {s:s, s:i}]},"
                     " s:[{s:s, s:s, s:b, s:i}, {s:s, s:s, s:b, s:i}]}",
                     "individual", "per_track", 1, "tiers", "name", "Giải Nhất", "count", 1, "name",
                     "Giải Nhì", "count", 2, "name", "Giải Ba", "count", 3, "name",
                     "Giải Khuyến khích", "count", 10, "units", "name",
                     "Giải tập thể: tỷ lệ tham gia cao nhất", "rule", "participation_rate",
                     "per_block", 1, "count", 1, "name", "Giải tập thể: nhiều người dự thi nhất",
                     "rule", "participants", "per_block", 0, "count", 1);
}

json_t *prize_config_get(db_conn *c, int64_t contest_id)
{
    sqlite3_stmt *st = db_stmt(c, Q_PRIZE_CONFIG_GET);
    sqlite3_bind_int64(st, 1, contest_id);
    json_t *cfg = NULL;
    if (sqlite3_step(st) == SQLITE_ROW)
        cfg = json_loads(db_col_text(st, 0), 0, NULL);
    db_done(st);
    return cfg ? cfg : config_default(0);
}

static int check_name(json_t *v, const char *field, app_err *e)
{
    if (!json_is_string(v) || !*json_string_value(v) || strlen(json_string_value(v)) > 120) {
        APP_ERR(e, 400, "validation", field, "Tên giải phải có 1–120 ký tự");
        return -1;
    }
    return 0;
}

static int check_count(json_t *v, const char *field, app_err *e)
{
    if (!json_is_integer(v) || json_integer_value(v) < 0 || json_integer_value(v) > 500) {
        APP_ERR(e, 400, "validation", field, "Số giải phải là số nguyên từ 0 đến 500");
        return -1;
    }
    return 0;
}

/* Checks a configuration's shape; 0 or -1 with e naming the field. */
static int config_check(json_t *cfg, app_err *e)
{
    const char *k;
    json_t *v;
    json_object_foreach(cfg, k, v)
    {
        if (strcmp(k, "individual") != 0 && strcmp(k, "units") != 0) {
            APP_ERR(e, 400, "validation", k, "Trường \"%s\" không được hỗ trợ", k);
            return -1;
        }
    }
    json_t *ind = json_object_get(cfg, "individual");
    json_t *tiers = json_object_get(ind, "tiers");
    if (!json_is_object(ind) || !json_is_array(tiers) || json_array_size(tiers) == 0 ||
        json_array_size(tiers) > PRIZE_MAX_TIERS) {
        APP_ERR(e, 400, "validation", "individual.tiers", "Cần 1–%d hạng giải cá nhân",
                PRIZE_MAX_TIERS);
        return -1;
    }
    json_t *pt = json_object_get(ind, "per_track");
    if (pt && !json_is_boolean(pt)) {
        APP_ERR(e, 400, "validation", "individual.per_track", "per_track phải là true/false");
        return -1;
    }
    size_t i;
    int total = 0;
    json_array_foreach(tiers, i, v)
    {
        char f[64];
        snprintf(f, sizeof f, "individual.tiers[%zu].name", i);
        if (check_name(json_object_get(v, "name"), f, e) != 0)
            return -1;
        snprintf(f, sizeof f, "individual.tiers[%zu].count", i);
        if (check_count(json_object_get(v, "count"), f, e) != 0)
            return -1;
        total += (int)json_integer_value(json_object_get(v, "count"));
    }
    if (total > PRIZE_MAX_WINNERS / 2) {
        APP_ERR(e, 400, "validation", "individual.tiers", "Tổng số giải cá nhân tối đa %d",
                PRIZE_MAX_WINNERS / 2);
        return -1;
    }
    json_t *units = json_object_get(cfg, "units");
    if (units && (!json_is_array(units) || json_array_size(units) > PRIZE_MAX_TIERS)) {
        APP_ERR(e, 400, "validation", "units", "Tối đa %d loại giải tập thể", PRIZE_MAX_TIERS);
        return -1;
    }
    json_array_foreach(units, i, v)
    {
        char f[64];
        snprintf(f, sizeof f, "units[%zu].name", i);
        if (check_name(json_object_get(v, "name"), f, e) != 0)
            return -1;
        snprintf(f, sizeof f, "units[%zu].count", i);
        if (check_count(json_object_get(v, "count"), f, e) != 0)
            return -1;
        const char *rule = json_string_value(json_object_get(v, "rule"));
        if (!rule ||
            (strcmp(rule, "participation_rate") != 0 && strcmp(rule, "participants") != 0)) {
            snprintf(f, sizeof f, "units[%zu].rule", i);
            APP_ERR(e, 400, "validation", f, "rule phải là participation_rate hoặc participants");
            return -1;
        }
    }
    return 0;
}

int prize_config_set(db_conn *c, int64_t contest_id, json_t *config, const char *actor, int64_t now,
                     app_err *e)
{
    if (config_check(config, e) != 0)
        return -1;
    json_t *before = prize_config_get(c, contest_id);
    char *text = json_dumps(config, JSON_COMPACT);
    sqlite3_stmt *st = db_stmt(c, Q_PRIZE_CONFIG_SET);
    sqlite3_bind_int64(st, 1, contest_id);
    db_bind_text(st, 2, text);
    sqlite3_bind_int64(st, 3, now);
    db_bind_text(st, 4, actor);
    int rc = sqlite3_step(st);
    db_done(st);
    free(text);
    if (rc != SQLITE_DONE) {
        json_decref(before);
        APP_ERR(e, 503, "unavailable", NULL, "Không ghi được cấu hình giải thưởng");
        return -1;
    }
    json_t *detail = json_pack("{s:{s:I}, s:o, s:O}", "target", "contest", (json_int_t)contest_id,
                               "before", before, "after", config);
    if (audit_json(c, actor, "prize.config", detail) != 0) {
        APP_ERR(e, 503, "unavailable", NULL, "Không ghi được nhật ký");
        return -1;
    }
    return 0;
}

/* ---- proposing ---- */

typedef struct struck_set {
    int64_t *ids;
    char *kinds; /* 'p' participant, 'u' unit */
    int n;
} struck_set;

static int is_struck(const struck_set *s, char kind, int64_t id)
{
    for (int i = 0; i < s->n; i++)
        if (s->kinds[i] == kind && s->ids[i] == id)
            return 1;
    return 0;
}

/* A candidate with its display detail (JSON) kept alongside. */
typedef struct cand_list {
    prize_cand *c;
    json_t **detail;
    int n, cap;
} cand_list;

static int cand_push(cand_list *l, const prize_cand *c, json_t *detail)
{
    if (l->n == l->cap) {
        int cap = l->cap ? l->cap * 2 : 64;
        prize_cand *nc = realloc(l->c, (size_t)cap * sizeof *nc);
        if (!nc) {
            json_decref(detail);
            return -1;
        }
        l->c = nc;
        json_t **nd = realloc(l->detail, (size_t)cap * sizeof *nd);
        if (!nd) {
            json_decref(detail);
            return -1;
        }
        l->detail = nd;
        l->cap = cap;
    }
    l->c[l->n] = *c;
    l->detail[l->n] = detail;
    l->n++;
    return 0;
}

static void cand_free(cand_list *l)
{
    for (int i = 0; i < l->n; i++)
        json_decref(l->detail[i]);
    free(l->c);
    free(l->detail);
    memset(l, 0, sizeof *l);
}

/* Runs the allocation for one group and writes its entries and ties. */
static int write_group(db_conn *c, int64_t list_id, const char *kind, const char *grp, cand_list *l,
                       int nkeys, const char *const *key_names, const prize_tier *tiers, int ntiers,
                       json_t *ties_out)
{
    prize_award *aw = calloc(PRIZE_MAX_WINNERS, sizeof *aw);
    prize_tie ties[256];
    int nties = 0;
    if (!aw)
        return -1;
    int na =
        prize_allocate(l->c, l->n, nkeys, tiers, ntiers, aw, PRIZE_MAX_WINNERS, ties, 256, &nties);
    int is_unit = strcmp(kind, "unit") == 0;
    int rc = 0;
    for (int i = 0; i < na && rc == 0; i++) {
        const char *decided = NULL;
        for (int t = 0; t < nties; t++)
            if (ties[t].b == aw[i].cand)
                decided = ties[t].key >= 0 ? key_names[ties[t].key] : "unresolved";
        char *detail = json_dumps(l->detail[aw[i].cand], JSON_COMPACT);
        sqlite3_stmt *st = db_stmt(c, Q_PRIZE_ENTRY_INSERT);
        sqlite3_bind_int64(st, 1, list_id);
        db_bind_text(st, 2, kind);
        db_bind_text(st, 3, grp);
        sqlite3_bind_int(st, 4, aw[i].tier);
        db_bind_text(st, 5, tiers[aw[i].tier].name);
        sqlite3_bind_int(st, 6, aw[i].rank);
        if (is_unit)
            sqlite3_bind_int64(st, 8, l->c[aw[i].cand].id);
        else
            sqlite3_bind_int64(st, 7, l->c[aw[i].cand].id);
        db_bind_text(st, 9, detail ? detail : "{}");
        db_bind_text(st, 10, decided);
        if (sqlite3_step(st) != SQLITE_DONE)
            rc = -1;
        db_done(st);
        free(detail);
    }
    for (int t = 0; t < nties; t++) {
        const prize_tie *x = &ties[t];
        int k = x->key;
        json_t *va = json_null(), *vb = json_null();
        if (k >= 0) {
            va = l->c[x->a].null[k] ? json_null() : json_integer(l->c[x->a].key[k]);
            vb = l->c[x->b].null[k] ? json_null() : json_integer(l->c[x->b].key[k]);
        }
        json_array_append_new(
            ties_out,
            json_pack("{s:s, s:s, s:{s:I, s:i}, s:{s:I, s:i}, s:s, s:o, s:o, s:b}", "kind", kind,
                      "group", grp, "a", is_unit ? "unit_id" : "participant_id",
                      (json_int_t)l->c[x->a].id, "rank", x->a + 1, "b",
                      is_unit ? "unit_id" : "participant_id", (json_int_t)l->c[x->b].id, "rank",
                      x->b + 1, "decided_by", k >= 0 ? key_names[k] : "unresolved", "a_value", va,
                      "b_value", vb, "boundary", x->boundary));
    }
    free(aw);
    return rc;
}

static int load_tiers(json_t *arr, prize_tier *tiers)
{
    int n = 0;
    size_t i;
    json_t *v;
    json_array_foreach(arr, i, v)
    {
        if (n >= PRIZE_MAX_TIERS)
            break;
        const char *name = json_string_value(json_object_get(v, "name"));
        snprintf(tiers[n].name, sizeof tiers[n].name, "%s", name ? name : "Giải");
        tiers[n].count = (int)json_integer_value(json_object_get(v, "count"));
        n++;
    }
    return n;
}

static int tiers_total(const prize_tier *t, int n)
{
    int s = 0;
    for (int i = 0; i < n; i++)
        s += t[i].count;
    return s;
}

static const char *const round_key_names[] = {"score_desc", "prediction_error_asc",
                                              "submitted_at_asc", "duration_asc"};

/* The individual candidates of a round for one track (0: all). */
static int round_candidates(db_conn *c, int64_t round_id, int track, const contest_settings *s,
                            const struck_set *struck, int want, cand_list *out, int *nkeys,
                            const char **names)
{
    char order[512];
    rank_order_sql(&s->ranking, 0, order, sizeof order);
    char sql[1200];
    snprintf(sql, sizeof sql,
             "SELECT r.participant_id, r.score, r.prediction_error, r.submitted_at, "
             "r.duration_ms, r.attempt_id, r.max_score, r.correct, r.prediction "
             "FROM results r JOIN participants p ON p.id = r.participant_id "
             "WHERE r.round_id = ?1 AND (?2 = 0 OR r.track = ?2) AND p.disqualified_at IS NULL "
             "ORDER BY %s LIMIT ?3",
             order);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db_handle(c), sql, -1, &q, NULL) != SQLITE_OK) {
        log_error("prizes: %s", sqlite3_errmsg(db_handle(c)));
        return -1;
    }
    sqlite3_bind_int64(q, 1, round_id);
    sqlite3_bind_int(q, 2, track);
    sqlite3_bind_int(q, 3, want + 1 + struck->n);
    *nkeys = s->ranking.n;
    for (int k = 0; k < s->ranking.n; k++)
        names[k] = round_key_names[s->ranking.keys[k]];
    while (sqlite3_step(q) == SQLITE_ROW) {
        prize_cand pc;
        memset(&pc, 0, sizeof pc);
        pc.id = sqlite3_column_int64(q, 0);
        if (is_struck(struck, 'p', pc.id))
            continue;
        for (int k = 0; k < s->ranking.n; k++) {
            int col = 1 + (int)s->ranking.keys[k]; /* score, pred error, submitted, duration */
            pc.null[k] = sqlite3_column_type(q, col) == SQLITE_NULL;
            pc.key[k] = sqlite3_column_int64(q, col);
        }
        json_t *d = json_pack(
            "{s:i, s:i, s:i, s:o, s:o, s:I, s:I, s:I}", "score", sqlite3_column_int(q, 1),
            "max_score", sqlite3_column_int(q, 6), "correct", sqlite3_column_int(q, 7),
            "prediction",
            sqlite3_column_type(q, 8) == SQLITE_NULL ? json_null()
                                                     : json_integer(sqlite3_column_int64(q, 8)),
            "prediction_error",
            sqlite3_column_type(q, 2) == SQLITE_NULL ? json_null()
                                                     : json_integer(sqlite3_column_int64(q, 2)),
            "submitted_at_ms", (json_int_t)sqlite3_column_int64(q, 3), "duration_ms",
            (json_int_t)sqlite3_column_int64(q, 4), "attempt_id",
            (json_int_t)sqlite3_column_int64(q, 5));
        if (cand_push(out, &pc, d) != 0)
            break;
    }
    sqlite3_finalize(q);
    return 0;
}

static const char *const contest_key_names[] = {"score_desc", "last_submitted_at_asc"};

static int contest_candidates(db_conn *c, int64_t contest_id, int track, int sum,
                              const struck_set *struck, int want, cand_list *out)
{
    const char *col = sum ? "cs.total" : "cs.best";
    char sql[800];
    snprintf(sql, sizeof sql,
             "SELECT cs.participant_id, %s, cs.last_submitted, cs.rounds FROM contest_scores cs "
             "JOIN participants p ON p.id = cs.participant_id WHERE cs.contest_id = ?1 "
             "AND (?2 = 0 OR p.track = ?2) AND p.disqualified_at IS NULL "
             "ORDER BY %s DESC, cs.last_submitted ASC, cs.participant_id LIMIT ?3",
             col, col);
    sqlite3_stmt *q;
    if (sqlite3_prepare_v2(db_handle(c), sql, -1, &q, NULL) != SQLITE_OK) {
        log_error("prizes: %s", sqlite3_errmsg(db_handle(c)));
        return -1;
    }
    sqlite3_bind_int64(q, 1, contest_id);
    sqlite3_bind_int(q, 2, track);
    sqlite3_bind_int(q, 3, want + 1 + struck->n);
    while (sqlite3_step(q) == SQLITE_ROW) {
        prize_cand pc;
        memset(&pc, 0, sizeof pc);
        pc.id = sqlite3_column_int64(q, 0);
        if (is_struck(struck, 'p', pc.id))
            continue;
        pc.key[0] = sqlite3_column_int64(q, 1);
        pc.key[1] = sqlite3_column_int64(q, 2);
        json_t *d =
            json_pack("{s:i, s:I, s:i}", "score", sqlite3_column_int(q, 1), "last_submitted_at_ms",
                      (json_int_t)sqlite3_column_int64(q, 2), "rounds", sqlite3_column_int(q, 3));
        if (cand_push(out, &pc, d) != 0)
            break;
    }
    sqlite3_finalize(q);
    return 0;
}

typedef struct unit_row {
    int64_t id;
    char block[208];
    int64_t headcount, participants;
    double rate, avg;
    int has_rate, has_avg;
} unit_row;

static int rule_rate;
static int unit_cmp(const void *pa, const void *pb)
{
    const unit_row *a = pa, *b = pb;
    double ka[3] = {a->rate, (double)a->participants, a->avg};
    double kb[3] = {b->rate, (double)b->participants, b->avg};
    if (!rule_rate) {
        ka[0] = (double)a->participants;
        ka[1] = a->rate;
        kb[0] = (double)b->participants;
        kb[1] = b->rate;
    }
    for (int k = 0; k < 3; k++)
        if (ka[k] != kb[k])
            return ka[k] > kb[k] ? -1 : 1;
    return a->id < b->id ? -1 : a->id > b->id;
}

static const char *const rate_key_names[] = {"participation_rate_desc", "participants_desc",
                                             "average_score_desc"};
static const char *const count_key_names[] = {"participants_desc", "participation_rate_desc",
                                              "average_score_desc"};

static int unit_prizes(db_conn *c, int64_t contest_id, int64_t list_id, json_t *rules,
                       const struck_set *struck, json_t *ties)
{
    unit_row *units = NULL;
    int n = 0, cap = 0;
    sqlite3_stmt *st = db_stmt(c, Q_UNIT_TABLE);
    sqlite3_bind_int64(st, 1, contest_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            unit_row *nu = realloc(units, (size_t)cap * sizeof *nu);
            if (!nu)
                break;
            units = nu;
        }
        unit_row *u = &units[n];
        memset(u, 0, sizeof *u);
        u->id = sqlite3_column_int64(st, 7);
        if (is_struck(struck, 'u', u->id))
            continue;
        snprintf(u->block, sizeof u->block, "%s",
                 sqlite3_column_type(st, 2) == SQLITE_NULL ? "" : db_col_text(st, 2));
        u->headcount = sqlite3_column_int64(st, 3);
        u->participants = sqlite3_column_int64(st, 4);
        u->has_rate = sqlite3_column_type(st, 3) != SQLITE_NULL && u->headcount > 0;
        u->rate = u->has_rate ? (double)u->participants / (double)u->headcount : 0;
        u->has_avg = sqlite3_column_type(st, 6) != SQLITE_NULL;
        u->avg = u->has_avg ? sqlite3_column_double(st, 6) : 0;
        n++;
    }
    db_done(st);
    size_t ri;
    json_t *rule;
    int rc = 0;
    json_array_foreach(rules, ri, rule)
    {
        const char *rname = json_string_value(json_object_get(rule, "rule"));
        int is_rate = rname && strcmp(rname, "participation_rate") == 0;
        int per_block = json_is_true(json_object_get(rule, "per_block"));
        prize_tier tier;
        snprintf(tier.name, sizeof tier.name, "%s",
                 json_string_value(json_object_get(rule, "name")));
        tier.count = (int)json_integer_value(json_object_get(rule, "count"));
        rule_rate = is_rate;
        qsort(units, (size_t)n, sizeof *units, unit_cmp);
        /* the groups: each block in order of first appearance, or one */
        for (int g = 0; g < n && rc == 0; g++) {
            if (per_block) {
                int seen = 0;
                for (int h = 0; h < g && !seen; h++)
                    seen = strcmp(units[h].block, units[g].block) == 0;
                if (seen)
                    continue;
            } else if (g > 0) {
                break;
            }
            cand_list l = {0};
            for (int i = 0; i < n; i++) {
                if (per_block && strcmp(units[i].block, units[g].block) != 0)
                    continue;
                if (is_rate && !units[i].has_rate)
                    continue;
                prize_cand pc;
                memset(&pc, 0, sizeof pc);
                pc.id = units[i].id;
                int64_t r6 = (int64_t)llround(units[i].rate * 1e6);
                int64_t a2 = (int64_t)llround(units[i].avg * 100);
                pc.key[0] = is_rate ? r6 : units[i].participants;
                pc.key[1] = is_rate ? units[i].participants : r6;
                pc.key[2] = a2;
                pc.null[2] = !units[i].has_avg;
                json_t *d = json_pack(
                    "{s:I, s:o, s:o, s:o}", "participants", (json_int_t)units[i].participants,
                    "headcount",
                    units[i].headcount ? json_integer(units[i].headcount) : json_null(),
                    "participation_rate",
                    units[i].has_rate ? json_real(units[i].rate) : json_null(), "average_score",
                    units[i].has_avg ? json_real(units[i].avg) : json_null());
                if (cand_push(&l, &pc, d) != 0)
                    break;
            }
            char grp[300];
            snprintf(grp, sizeof grp, "%s|%s", is_rate ? "participation_rate" : "participants",
                     per_block ? units[g].block : "");
            rc = write_group(c, list_id, "unit", grp, &l, 3,
                             is_rate ? rate_key_names : count_key_names, &tier, 1, ties);
            cand_free(&l);
        }
    }
    free(units);
    return rc;
}

static int load_struck(db_conn *c, int64_t list_id, struck_set *s)
{
    memset(s, 0, sizeof *s);
    sqlite3_stmt *st = db_stmt(c, Q_PRIZE_STRUCK);
    sqlite3_bind_int64(st, 1, list_id);
    int cap = 0;
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (s->n == cap) {
            cap = cap ? cap * 2 : 16;
            int64_t *ni = realloc(s->ids, (size_t)cap * sizeof *ni);
            char *nk = ni ? realloc(s->kinds, (size_t)cap) : NULL;
            if (ni)
                s->ids = ni;
            if (!nk)
                break;
            s->kinds = nk;
        }
        int unit = strcmp(db_col_text(st, 0), "unit") == 0;
        s->kinds[s->n] = unit ? 'u' : 'p';
        s->ids[s->n] = sqlite3_column_int64(st, unit ? 2 : 1);
        s->n++;
    }
    db_done(st);
    return 0;
}

int prize_propose(db_conn *c, int64_t contest_id, int64_t round_id, const char *actor, int64_t now,
                  int64_t *list_id, app_err *e)
{
    contest_settings s;
    if (contest_settings_load(c, contest_id, &s) != 0) {
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy cuộc thi");
        return -1;
    }
    if (round_id > 0) {
        sqlite3_stmt *st = db_stmt(c, Q_ROUND_BOARD_INFO);
        sqlite3_bind_int64(st, 1, round_id);
        int found = sqlite3_step(st) == SQLITE_ROW;
        int ok = found && sqlite3_column_int64(st, 0) == contest_id;
        int settled = found && sqlite3_column_type(st, 2) != SQLITE_NULL;
        int published = found && sqlite3_column_type(st, 4) != SQLITE_NULL;
        db_done(st);
        if (!ok) {
            APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy vòng thi");
            return -1;
        }
        if (!settled) {
            APP_ERR(e, 409, "not_settled", NULL,
                    "Vòng thi chưa kết thúc hoặc chưa chốt câu hỏi dự đoán; chưa thể đề xuất giải");
            return -1;
        }
        if (published) {
            APP_ERR(e, 409, "published", NULL,
                    "Kết quả vòng thi đã công bố; hủy công bố trước khi đề xuất lại");
            return -1;
        }
    } else {
        sqlite3_stmt *st = db_stmt(c, Q_CONTEST_PUBLICATION);
        sqlite3_bind_int64(st, 1, contest_id);
        int published = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
        db_done(st);
        if (published) {
            APP_ERR(e, 409, "published", NULL,
                    "Kết quả chung cuộc đã công bố; hủy công bố trước khi đề xuất lại");
            return -1;
        }
    }
    json_t *cfg = prize_config_get(c, contest_id);
    json_t *ind = json_object_get(cfg, "individual");
    prize_tier tiers[PRIZE_MAX_TIERS];
    int ntiers = load_tiers(json_object_get(ind, "tiers"), tiers);
    int want = tiers_total(tiers, ntiers);
    int per_track = json_is_true(json_object_get(ind, "per_track"));
    int64_t id = prize_list_find(c, contest_id, round_id);
    struck_set struck = {0};
    if (id)
        load_struck(c, id, &struck);
    sqlite3_stmt *st = db_stmt(c, Q_PRIZE_LIST_UPSERT);
    sqlite3_bind_int64(st, 1, contest_id);
    sqlite3_bind_int64(st, 2, round_id);
    sqlite3_bind_int64(st, 3, now);
    db_bind_text(st, 4, actor);
    db_bind_text(st, 5, "[]");
    id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    int rc = id ? 0 : -1;
    if (rc == 0) {
        st = db_stmt(c, Q_PRIZE_ENTRIES_CLEAR);
        sqlite3_bind_int64(st, 1, id);
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
        db_done(st);
    }
    json_t *ties = json_array();
    for (int t = per_track ? 1 : 0; rc == 0 && t <= (per_track ? 2 : 0); t++) {
        if (t && !(s.tracks & (1u << t)))
            continue;
        cand_list l = {0};
        int nkeys = 0;
        const char *names[PRIZE_MAX_KEYS];
        if (round_id > 0)
            rc = round_candidates(c, round_id, t, &s, &struck, want, &l, &nkeys, names);
        else {
            rc = contest_candidates(c, contest_id, t, s.aggregate == AGG_SUM, &struck, want, &l);
            nkeys = 2;
            names[0] = contest_key_names[0];
            names[1] = contest_key_names[1];
        }
        if (rc == 0)
            rc = write_group(c, id, "individual", t ? contest_track_name(t) : "all", &l, nkeys,
                             names, tiers, ntiers, ties);
        cand_free(&l);
    }
    if (rc == 0 && round_id == 0)
        rc = unit_prizes(c, contest_id, id, json_object_get(cfg, "units"), &struck, ties);
    free(struck.ids);
    free(struck.kinds);
    if (rc == 0) {
        char *text = json_dumps(ties, JSON_COMPACT);
        st = db_stmt(c, Q_PRIZE_LIST_UPSERT);
        sqlite3_bind_int64(st, 1, contest_id);
        sqlite3_bind_int64(st, 2, round_id);
        sqlite3_bind_int64(st, 3, now);
        db_bind_text(st, 4, actor);
        db_bind_text(st, 5, text ? text : "[]");
        rc = sqlite3_step(st) == SQLITE_ROW ? 0 : -1;
        db_done(st);
        free(text);
    }
    if (rc == 0) {
        json_t *detail =
            json_pack("{s:{s:I, s:I, s:I}, s:O, s:I}", "target", "contest", (json_int_t)contest_id,
                      "round", (json_int_t)round_id, "prize_list", (json_int_t)id, "config", cfg,
                      "ties", (json_int_t)json_array_size(ties));
        rc = audit_json(c, actor, "prize.propose", detail);
    }
    json_decref(ties);
    json_decref(cfg);
    if (rc != 0) {
        APP_ERR(e, 503, "unavailable", NULL, "Không ghi được đề xuất giải thưởng");
        return -1;
    }
    *list_id = id;
    return 0;
}

/* ---- reading ---- */

int64_t prize_list_find(db_conn *c, int64_t contest_id, int64_t round_id)
{
    sqlite3_stmt *st = db_stmt(c, Q_PRIZE_LIST_GET);
    sqlite3_bind_int64(st, 1, contest_id);
    sqlite3_bind_int64(st, 2, round_id);
    int64_t id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    return id;
}

static json_t *iso_col(sqlite3_stmt *st, int i)
{
    if (sqlite3_column_type(st, i) == SQLITE_NULL)
        return json_null();
    char t[40];
    clock_iso_utc(sqlite3_column_int64(st, i), t, sizeof t);
    return json_string(t);
}

static const char *status_names[] = {"proposed", "confirmed", "struck"};

/* Adds name and unit of a tie's side. */
static void tie_names(db_conn *c, json_t *side)
{
    json_t *pid = json_object_get(side, "participant_id");
    json_t *uid = json_object_get(side, "unit_id");
    sqlite3_stmt *st;
    if (pid) {
        st = db_stmt(c, Q_PERSON_GET);
        sqlite3_bind_int64(st, 1, json_integer_value(pid));
        if (sqlite3_step(st) == SQLITE_ROW) {
            json_object_set_new(side, "name", json_string(db_col_text(st, 2)));
            json_object_set_new(side, "unit", json_string(db_col_text(st, 7)));
        }
        db_done(st);
    } else if (uid) {
        st = db_stmt(c, Q_UNIT_NAME);
        sqlite3_bind_int64(st, 1, json_integer_value(uid));
        if (sqlite3_step(st) == SQLITE_ROW)
            json_object_set_new(side, "name", json_string(db_col_text(st, 0)));
        db_done(st);
    }
}

json_t *prize_list_json(db_conn *c, int64_t list_id, int personal, app_err *e)
{
    sqlite3_stmt *st = db_stmt(c, Q_PRIZE_LIST_BY_ID);
    sqlite3_bind_int64(st, 1, list_id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy danh sách giải");
        return NULL;
    }
    int64_t round_id = sqlite3_column_int64(st, 2);
    json_t *ties = json_loads(db_col_text(st, 5), 0, NULL);
    json_t *out = json_pack(
        "{s:I, s:I, s:o, s:o, s:s, s:o, s:o}", "id", (json_int_t)list_id, "contest_id",
        (json_int_t)sqlite3_column_int64(st, 1), "round_id",
        round_id ? json_integer(round_id) : json_null(), "proposed_at", iso_col(st, 3),
        "proposed_by", db_col_text(st, 4), "published_at", iso_col(st, 6), "published_by",
        sqlite3_column_type(st, 7) == SQLITE_NULL ? json_null() : json_string(db_col_text(st, 7)));
    db_done(st);
    json_t *entries = json_array();
    int pending = 0;
    st = db_stmt(c, Q_PRIZE_ENTRIES);
    sqlite3_bind_int64(st, 1, list_id);
    while (sqlite3_step(st) == SQLITE_ROW) {
        int status = sqlite3_column_int(st, 10);
        pending += status == 0;
        json_t *detail = json_loads(db_col_text(st, 8), 0, NULL);
        json_t *en =
            json_pack("{s:I, s:s, s:s, s:i, s:s, s:i, s:o, s:o, s:s, s:o, s:o, s:o}", "id",
                      (json_int_t)sqlite3_column_int64(st, 0), "kind", db_col_text(st, 1), "group",
                      db_col_text(st, 2), "tier", sqlite3_column_int(st, 3), "tier_name",
                      db_col_text(st, 4), "rank", sqlite3_column_int(st, 5), "detail",
                      detail ? detail : json_object(), "decided_by",
                      sqlite3_column_type(st, 9) == SQLITE_NULL ? json_null()
                                                                : json_string(db_col_text(st, 9)),
                      "status", status_names[status < 0 || status > 2 ? 0 : status], "reason",
                      sqlite3_column_type(st, 11) == SQLITE_NULL ? json_null()
                                                                 : json_string(db_col_text(st, 11)),
                      "reviewed_by",
                      sqlite3_column_type(st, 12) == SQLITE_NULL ? json_null()
                                                                 : json_string(db_col_text(st, 12)),
                      "reviewed_at", iso_col(st, 13));
        if (sqlite3_column_type(st, 6) != SQLITE_NULL) {
            json_t *p = json_pack("{s:I, s:s, s:s}", "id", (json_int_t)sqlite3_column_int64(st, 6),
                                  "name", db_col_text(st, 14), "unit", db_col_text(st, 15));
            if (personal) {
                const char *phone = db_col_text(st, 16);
                json_object_set_new(p, "phone",
                                    strncmp(phone, "erased:", 7) == 0 ? json_null()
                                                                      : json_string(phone));
                json_object_set_new(p, "cccd",
                                    sqlite3_column_type(st, 17) == SQLITE_NULL
                                        ? json_null()
                                        : json_string(db_col_text(st, 17)));
            }
            json_object_set_new(en, "participant", p);
        }
        if (sqlite3_column_type(st, 7) != SQLITE_NULL)
            json_object_set_new(en, "unit",
                                json_pack("{s:I, s:s, s:s}", "id",
                                          (json_int_t)sqlite3_column_int64(st, 7), "name",
                                          db_col_text(st, 15), "block", db_col_text(st, 18)));
        json_array_append_new(entries, en);
    }
    db_done(st);
    if (!json_is_array(ties)) {
        json_decref(ties);
        ties = json_array();
    }
    size_t i;
    json_t *t;
    json_array_foreach(ties, i, t)
    {
        tie_names(c, json_object_get(t, "a"));
        tie_names(c, json_object_get(t, "b"));
    }
    /* what the printed list needs: the contest, the round, the signer */
    int64_t cid = json_integer_value(json_object_get(out, "contest_id"));
    st = db_stmt(c, Q_CONTEST_BY_ID);
    sqlite3_bind_int64(st, 1, cid);
    if (sqlite3_step(st) == SQLITE_ROW) {
        contest_settings cs;
        contest_settings_parse(db_col_text(st, 5), &cs);
        json_object_set_new(out, "contest",
                            json_pack("{s:s, s:s, s:s, s:s, s:s}", "id", db_col_text(st, 1),
                                      "title", db_col_text(st, 2), "organiser", db_col_text(st, 3),
                                      "signer_title", cs.cert_signer_title, "signer_name",
                                      cs.cert_signer_name));
    }
    db_done(st);
    if (round_id) {
        st = db_stmt(c, Q_ROUND_BOARD_INFO);
        sqlite3_bind_int64(st, 1, round_id);
        if (sqlite3_step(st) == SQLITE_ROW)
            json_object_set_new(out, "round_title", json_string(db_col_text(st, 6)));
        db_done(st);
    }
    json_object_set_new(out, "pending", json_integer(pending));
    json_object_set_new(out, "entries", entries);
    json_object_set_new(out, "ties", ties);
    return out;
}

/* ---- reviewing and publishing ---- */

int prize_review(db_conn *c, int64_t entry_id, int strike, const char *reason, const char *actor,
                 int64_t now, app_err *e)
{
    sqlite3_stmt *st = db_stmt(c, Q_PRIZE_ENTRY_GET);
    sqlite3_bind_int64(st, 1, entry_id);
    if (sqlite3_step(st) != SQLITE_ROW) {
        db_done(st);
        APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy mục giải #%lld", (long long)entry_id);
        return -1;
    }
    int64_t list_id = sqlite3_column_int64(st, 1);
    int status = sqlite3_column_int(st, 2);
    int published = sqlite3_column_type(st, 3) != SQLITE_NULL;
    json_t *who = sqlite3_column_type(st, 4) != SQLITE_NULL
                      ? json_pack("{s:I}", "participant", (json_int_t)sqlite3_column_int64(st, 4))
                      : json_pack("{s:I}", "unit", (json_int_t)sqlite3_column_int64(st, 5));
    json_t *old_reason =
        sqlite3_column_type(st, 7) == SQLITE_NULL ? json_null() : json_string(db_col_text(st, 7));
    db_done(st);
    if (published) {
        json_decref(who);
        json_decref(old_reason);
        APP_ERR(e, 409, "published", NULL, "Danh sách giải đã công bố; hủy công bố trước khi sửa");
        return -1;
    }
    int next = strike ? 2 : 1;
    st = db_stmt(c, Q_PRIZE_ENTRY_REVIEW);
    sqlite3_bind_int64(st, 1, entry_id);
    sqlite3_bind_int(st, 2, next);
    db_bind_text(st, 3, reason && *reason ? reason : NULL);
    db_bind_text(st, 4, actor);
    sqlite3_bind_int64(st, 5, now);
    int rc = sqlite3_step(st);
    db_done(st);
    if (rc != SQLITE_DONE) {
        json_decref(who);
        json_decref(old_reason);
        APP_ERR(e, 503, "unavailable", NULL, "Không ghi được");
        return -1;
    }
    json_t *detail =
        json_pack("{s:{s:I, s:I, s:o}, s:o, s:{s:s, s:o}, s:{s:s}}", "target", "prize_entry",
                  (json_int_t)entry_id, "prize_list", (json_int_t)list_id, "who", who, "reason",
                  reason && *reason ? json_string(reason) : json_null(), "before", "status",
                  status_names[status < 0 || status > 2 ? 0 : status], "reason", old_reason,
                  "after", "status", status_names[next]);
    if (audit_json(c, actor, strike ? "prize.strike" : "prize.confirm", detail) != 0) {
        APP_ERR(e, 503, "unavailable", NULL, "Không ghi được nhật ký");
        return -1;
    }
    return 0;
}

int prize_publish(db_conn *c, int64_t contest_id, int64_t round_id, int on, const char *reason,
                  const char *actor, int64_t now, app_err *e)
{
    int was = 0;
    if (round_id > 0) {
        sqlite3_stmt *st = db_stmt(c, Q_ROUND_BOARD_INFO);
        sqlite3_bind_int64(st, 1, round_id);
        int found = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_int64(st, 0) == contest_id;
        int settled = found && sqlite3_column_type(st, 2) != SQLITE_NULL;
        was = found && sqlite3_column_type(st, 4) != SQLITE_NULL;
        db_done(st);
        if (!found) {
            APP_ERR(e, 404, "not_found", NULL, "Không tìm thấy vòng thi");
            return -1;
        }
        if (on && !settled) {
            APP_ERR(e, 409, "not_settled", NULL,
                    "Vòng thi chưa kết thúc hoặc chưa chốt câu hỏi dự đoán; chưa thể công bố");
            return -1;
        }
    } else {
        sqlite3_stmt *st = db_stmt(c, Q_CONTEST_PUBLICATION);
        sqlite3_bind_int64(st, 1, contest_id);
        was = sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
        db_done(st);
        if (on) {
            st = db_stmt(c, Q_CONTEST_UNSETTLED_ROUNDS);
            sqlite3_bind_int64(st, 1, contest_id);
            int64_t open = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 1;
            db_done(st);
            if (open) {
                APP_ERR(e, 409, "not_settled", NULL,
                        "Còn %lld vòng thi chưa kết thúc hoặc chưa chốt kết quả", (long long)open);
                return -1;
            }
        }
    }
    if (was == on) {
        APP_ERR(e, 409, "conflict", NULL, on ? "Kết quả đã được công bố" : "Kết quả chưa công bố");
        return -1;
    }
    int64_t list_id = prize_list_find(c, contest_id, round_id);
    if (on && list_id) {
        sqlite3_stmt *st = db_stmt(c, Q_PRIZE_PENDING);
        sqlite3_bind_int64(st, 1, list_id);
        int64_t pending = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        db_done(st);
        if (pending) {
            APP_ERR(e, 409, "pending", NULL,
                    "Còn %lld mục giải chưa được xác nhận hoặc loại; chưa thể công bố",
                    (long long)pending);
            return -1;
        }
    }
    sqlite3_stmt *st = db_stmt(c, round_id > 0 ? Q_ROUND_PUBLISH : Q_CONTEST_PUBLISH);
    sqlite3_bind_int64(st, 1, round_id > 0 ? round_id : contest_id);
    if (on) {
        sqlite3_bind_int64(st, 2, now);
        db_bind_text(st, 3, actor);
    }
    int rc = sqlite3_step(st);
    db_done(st);
    if (rc == SQLITE_DONE && list_id) {
        st = db_stmt(c, Q_PRIZE_LIST_PUBLISH);
        sqlite3_bind_int64(st, 1, list_id);
        if (on) {
            sqlite3_bind_int64(st, 2, now);
            db_bind_text(st, 3, actor);
        }
        rc = sqlite3_step(st);
        db_done(st);
    }
    if (rc != SQLITE_DONE) {
        APP_ERR(e, 503, "unavailable", NULL, "Không ghi được");
        return -1;
    }
    json_t *detail = json_pack("{s:{s:I, s:I, s:I}, s:o, s:{s:b}, s:{s:b}}", "target", "contest",
                               (json_int_t)contest_id, "round", (json_int_t)round_id, "prize_list",
                               (json_int_t)list_id, "reason",
                               reason && *reason ? json_string(reason) : json_null(), "before",
                               "published", was, "after", "published", on);
    if (audit_json(c, actor, on ? "results.publish" : "results.unpublish", detail) != 0) {
        APP_ERR(e, 503, "unavailable", NULL, "Không ghi được nhật ký");
        return -1;
    }
    return 0;
}
