#include "contest/contest.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "util/clock.h"
#include "util/log.h"

#define CONTEST_MAX_UNITS 5000
#define CONTEST_MAX_ROUNDS 100
#define BLUEPRINT_MAX_SLOTS 50
#define BLUEPRINT_MAX_QUESTIONS 200

static const char *const track_names[] = {"both", "cbccvc", "citizen"};
static const char *const track_labels[] = {"Tất cả", "Cán bộ, công chức, viên chức",
                                           "Người dân"};

const char *contest_track_name(int track)
{
    return track >= 0 && track <= 2 ? track_names[track] : "both";
}

const char *contest_track_label(int track)
{
    return track >= 0 && track <= 2 ? track_labels[track] : track_labels[0];
}

int contest_track_from_name(const char *name)
{
    for (int i = 1; i <= 2; i++)
        if (strcmp(name, track_names[i]) == 0)
            return i;
    return -1;
}

static const char *const field_modes[] = {"off", "optional", "required"};
static const char *const review_modes[] = {"after_submit", "after_close", "never"};
static const char *const agg_modes[] = {"best", "sum"};
static const char *const cert_who_modes[] = {"finished", "min_score", "off"};
#define DEFAULT_SIGNER_TITLE "TM. Ban Tổ chức"

static int pick(const char *s, const char *const *names, int n)
{
    for (int i = 0; i < n; i++)
        if (s && strcmp(s, names[i]) == 0)
            return i;
    return -1;
}

static const char *DEFAULT_CONSENT =
    "Tôi đồng ý để Ban Tổ chức thu thập và xử lý họ tên, đơn vị, số điện thoại (và số CCCD, "
    "email nếu cung cấp) chỉ nhằm mục đích tổ chức cuộc thi, xác minh người đoạt giải và "
    "liên hệ trao giải; dữ liệu không được công bố công khai (chỉ hiển thị họ tên và đơn vị "
    "trên bảng xếp hạng) và được xóa sau khi kết thúc cuộc thi theo quy định về bảo vệ dữ "
    "liệu cá nhân.";

static void settings_default(contest_settings *s)
{
    memset(s, 0, sizeof *s);
    s->tracks = (1u << TRACK_CBCCVC) | (1u << TRACK_CITIZEN);
    s->cccd = FIELD_OPTIONAL;
    s->email = FIELD_OFF;
    snprintf(s->consent_text, sizeof s->consent_text, "%s", DEFAULT_CONSENT);
    s->review = REVIEW_AFTER_CLOSE;
    rank_default(&s->ranking);
    s->aggregate = AGG_BEST;
    s->grace_ms = 10000;
    s->points = 1;
    s->cert_who = CERT_WHO_FINISHED;
    snprintf(s->cert_signer_title, sizeof s->cert_signer_title, "%s", DEFAULT_SIGNER_TITLE);
}

int contest_settings_parse(const char *text, contest_settings *s)
{
    settings_default(s);
    json_t *j = json_loads(text, 0, NULL);
    if (!j)
        return -1;
    json_t *v;
    json_t *tracks = json_object_get(j, "tracks");
    if (json_is_array(tracks) && json_array_size(tracks) > 0) {
        s->tracks = 0;
        size_t i;
        json_array_foreach(tracks, i, v)
        {
            int t = json_is_string(v) ? contest_track_from_name(json_string_value(v)) : -1;
            if (t > 0)
                s->tracks |= 1u << t;
        }
    }
    json_t *reg = json_object_get(j, "registration");
    int m;
    m = pick(json_string_value(json_object_get(reg, "cccd")), field_modes, 3);
    if (m >= 0)
        s->cccd = m;
    m = pick(json_string_value(json_object_get(reg, "email")), field_modes, 3);
    if (m >= 0)
        s->email = m;
    const char *consent = json_string_value(json_object_get(reg, "consent_text"));
    if (consent && *consent)
        snprintf(s->consent_text, sizeof s->consent_text, "%s", consent);
    m = pick(json_string_value(json_object_get(j, "review")), review_modes, 3);
    if (m >= 0)
        s->review = m;
    m = pick(json_string_value(json_object_get(j, "aggregate")), agg_modes, 2);
    if (m >= 0)
        s->aggregate = m;
    json_t *ranking = json_object_get(j, "ranking");
    if (json_is_array(ranking) && json_array_size(ranking) > 0) {
        s->ranking.n = 0;
        size_t i;
        json_array_foreach(ranking, i, v)
        {
            int k = json_is_string(v) ? rank_key_from_name(json_string_value(v)) : -1;
            if (k >= 0 && s->ranking.n < RANK_MAX_KEYS)
                s->ranking.keys[s->ranking.n++] = (rank_key)k;
        }
    }
    v = json_object_get(j, "grace_seconds");
    if (json_is_integer(v))
        s->grace_ms = (int)json_integer_value(v) * 1000;
    v = json_object_get(j, "points_per_question");
    if (json_is_integer(v))
        s->points = (int)json_integer_value(v);
    json_t *cert = json_object_get(j, "certificate");
    m = pick(json_string_value(json_object_get(cert, "who")), cert_who_modes, 3);
    if (m >= 0)
        s->cert_who = m;
    v = json_object_get(cert, "min_score");
    if (json_is_integer(v))
        s->cert_min_score = (int)json_integer_value(v);
    s->cert_show_score = json_is_true(json_object_get(cert, "show_score"));
    const char *signer = json_string_value(json_object_get(cert, "signer_title"));
    if (signer)
        snprintf(s->cert_signer_title, sizeof s->cert_signer_title, "%s", signer);
    signer = json_string_value(json_object_get(cert, "signer_name"));
    if (signer)
        snprintf(s->cert_signer_name, sizeof s->cert_signer_name, "%s", signer);
    json_decref(j);
    return 0;
}

#define SETTINGS_CACHE 8

int contest_settings_load(db_conn *c, int64_t contest_id, contest_settings *out)
{
    static __thread struct {
        int64_t id, updated_at;
        contest_settings s;
    } cache[SETTINGS_CACHE];
    static __thread unsigned next;
    sqlite3_stmt *st = db_stmt(c, Q_CONTEST_SETTINGS);
    if (!st)
        return -1;
    sqlite3_bind_int64(st, 1, contest_id);
    int rc = -1;
    if (sqlite3_step(st) == SQLITE_ROW) {
        int64_t updated = sqlite3_column_int64(st, 1);
        for (int i = 0; i < SETTINGS_CACHE && rc != 0; i++) {
            if (cache[i].id == contest_id && cache[i].updated_at == updated) {
                *out = cache[i].s;
                rc = 0;
            }
        }
        if (rc != 0 && contest_settings_parse(db_col_text(st, 0), out) == 0) {
            unsigned slot = next++ % SETTINGS_CACHE;
            cache[slot].id = contest_id;
            cache[slot].updated_at = updated;
            cache[slot].s = *out;
            rc = 0;
        }
    }
    db_done(st);
    return rc;
}

json_t *contest_settings_json(const contest_settings *s)
{
    json_t *tracks = json_array();
    for (int t = 1; t <= 2; t++)
        if (s->tracks & (1u << t))
            json_array_append_new(tracks, json_string(track_names[t]));
    json_t *ranking = json_array();
    for (int i = 0; i < s->ranking.n; i++)
        json_array_append_new(ranking, json_string(rank_key_name(s->ranking.keys[i])));
    json_t *out = json_pack("{s:o, s:{s:s, s:s, s:s}, s:s, s:o, s:s, s:i, s:i}", "tracks",
                            tracks, "registration", "cccd", field_modes[s->cccd], "email",
                            field_modes[s->email], "consent_text", s->consent_text, "review",
                            review_modes[s->review], "ranking", ranking, "aggregate",
                            agg_modes[s->aggregate], "grace_seconds", s->grace_ms / 1000,
                            "points_per_question", s->points);
    json_object_set_new(out, "certificate",
                        json_pack("{s:s, s:i, s:b, s:s, s:s}", "who",
                                  cert_who_modes[s->cert_who], "min_score", s->cert_min_score,
                                  "show_score", s->cert_show_score, "signer_title",
                                  s->cert_signer_title, "signer_name", s->cert_signer_name));
    return out;
}

/* ---- loading a contest file ---- */

typedef struct ctx {
    char *err;
    size_t errn;
    int64_t now;
} ctx;

static int fail(ctx *x, const char *field, const char *fmt, ...)
{
    char msg[400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(x->err, x->errn, "%s: %s", field, msg);
    return -1;
}

static int is_key(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 64)
        return 0;
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_' ||
              *s == '.'))
            return 0;
    return 1;
}

/* A string member: required or not, with a length limit in bytes. */
static int get_str(ctx *x, json_t *obj, const char *path, const char *name, int required,
                   size_t max, const char **out)
{
    char field[128];
    snprintf(field, sizeof field, "%s%s%s", path, *path ? "." : "", name);
    json_t *v = json_object_get(obj, name);
    *out = NULL;
    if (!v || json_is_null(v)) {
        if (required)
            return fail(x, field, "bắt buộc phải có");
        return 0;
    }
    if (!json_is_string(v))
        return fail(x, field, "phải là chuỗi ký tự");
    const char *s = json_string_value(v);
    if (required && !*s)
        return fail(x, field, "không được để trống");
    if (strlen(s) > max)
        return fail(x, field, "dài quá %zu byte", max);
    *out = s;
    return 0;
}

static int get_int(ctx *x, json_t *obj, const char *path, const char *name, long long lo,
                   long long hi, long long dflt, long long *out)
{
    char field[128];
    snprintf(field, sizeof field, "%s%s%s", path, *path ? "." : "", name);
    json_t *v = json_object_get(obj, name);
    if (!v || json_is_null(v)) {
        *out = dflt;
        return 0;
    }
    if (!json_is_integer(v))
        return fail(x, field, "phải là số nguyên");
    *out = json_integer_value(v);
    if (*out < lo || *out > hi)
        return fail(x, field, "phải trong khoảng %lld–%lld", lo, hi);
    return 0;
}

static int check_keys(ctx *x, json_t *obj, const char *path, const char *const *allowed)
{
    const char *k;
    json_t *v;
    json_object_foreach(obj, k, v)
    {
        int ok = 0;
        for (int i = 0; allowed[i]; i++)
            if (strcmp(k, allowed[i]) == 0)
                ok = 1;
        if (!ok) {
            char field[160];
            snprintf(field, sizeof field, "%s%s%s", path, *path ? "." : "", k);
            return fail(x, field, "trường không được hỗ trợ");
        }
    }
    return 0;
}

static int get_time(ctx *x, json_t *obj, const char *path, const char *name, int64_t *out)
{
    const char *s;
    if (get_str(x, obj, path, name, 1, 64, &s) != 0)
        return -1;
    if (clock_parse(s, x->now, out) != 0) {
        char field[128];
        snprintf(field, sizeof field, "%s.%s", path, name);
        return fail(x, field, "thời gian không hợp lệ \"%s\" (dạng 2026-11-20T08:00:00+07:00)",
                    s);
    }
    return 0;
}

static int parse_certificate(ctx *x, json_t *doc, contest_settings *s)
{
    json_t *cert = json_object_get(doc, "certificate");
    if (!cert)
        return 0;
    static const char *const allowed[] = {"who", "min_score", "show_score", "signer_title",
                                          "signer_name", NULL};
    if (!json_is_object(cert))
        return fail(x, "certificate", "phải là đối tượng");
    if (check_keys(x, cert, "certificate", allowed) != 0)
        return -1;
    const char *v;
    long long n;
    if (get_str(x, cert, "certificate", "who", 0, 16, &v) != 0)
        return -1;
    if (v && (s->cert_who = pick(v, cert_who_modes, 3)) < 0)
        return fail(x, "certificate.who", "phải là finished, min_score hoặc off");
    if (get_int(x, cert, "certificate", "min_score", 0, 100000, 0, &n) != 0)
        return -1;
    s->cert_min_score = (int)n;
    if (s->cert_who == CERT_WHO_MIN_SCORE && !json_object_get(cert, "min_score"))
        return fail(x, "certificate.min_score", "bắt buộc khi who là min_score");
    json_t *show = json_object_get(cert, "show_score");
    if (show && !json_is_boolean(show))
        return fail(x, "certificate.show_score", "phải là true hoặc false");
    s->cert_show_score = json_is_true(show);
    if (get_str(x, cert, "certificate", "signer_title", 0, 300, &v) != 0)
        return -1;
    if (v)
        snprintf(s->cert_signer_title, sizeof s->cert_signer_title, "%s", v);
    if (get_str(x, cert, "certificate", "signer_name", 0, 300, &v) != 0)
        return -1;
    if (v)
        snprintf(s->cert_signer_name, sizeof s->cert_signer_name, "%s", v);
    return 0;
}

static int parse_settings(ctx *x, json_t *doc, contest_settings *s)
{
    settings_default(s);
    json_t *tracks = json_object_get(doc, "tracks");
    if (tracks) {
        if (!json_is_array(tracks) || json_array_size(tracks) == 0)
            return fail(x, "tracks", "phải là danh sách khác rỗng (\"cbccvc\", \"citizen\")");
        s->tracks = 0;
        size_t i;
        json_t *v;
        json_array_foreach(tracks, i, v)
        {
            int t = json_is_string(v) ? contest_track_from_name(json_string_value(v)) : -1;
            if (t < 0) {
                char f[32];
                snprintf(f, sizeof f, "tracks[%zu]", i);
                return fail(x, f, "phải là \"cbccvc\" hoặc \"citizen\"");
            }
            s->tracks |= 1u << t;
        }
    }
    json_t *reg = json_object_get(doc, "registration");
    if (reg) {
        static const char *const allowed[] = {"cccd", "email", "consent_text", NULL};
        if (!json_is_object(reg))
            return fail(x, "registration", "phải là đối tượng");
        if (check_keys(x, reg, "registration", allowed) != 0)
            return -1;
        const char *v;
        if (get_str(x, reg, "registration", "cccd", 0, 16, &v) != 0)
            return -1;
        if (v && (s->cccd = pick(v, field_modes, 3)) < 0)
            return fail(x, "registration.cccd", "phải là off, optional hoặc required");
        if (get_str(x, reg, "registration", "email", 0, 16, &v) != 0)
            return -1;
        if (v && (s->email = pick(v, field_modes, 3)) < 0)
            return fail(x, "registration.email", "phải là off, optional hoặc required");
        if (get_str(x, reg, "registration", "consent_text", 0, 2000, &v) != 0)
            return -1;
        if (v)
            snprintf(s->consent_text, sizeof s->consent_text, "%s", v);
    }
    const char *v;
    if (get_str(x, doc, "", "review", 0, 32, &v) != 0)
        return -1;
    if (v && (s->review = pick(v, review_modes, 3)) < 0)
        return fail(x, "review", "phải là after_submit, after_close hoặc never");
    if (get_str(x, doc, "", "aggregate", 0, 32, &v) != 0)
        return -1;
    if (v && (s->aggregate = pick(v, agg_modes, 2)) < 0)
        return fail(x, "aggregate", "phải là best hoặc sum");
    json_t *ranking = json_object_get(doc, "ranking");
    if (ranking) {
        if (!json_is_array(ranking) || json_array_size(ranking) == 0 ||
            json_array_size(ranking) > RANK_MAX_KEYS)
            return fail(x, "ranking", "phải là danh sách 1–%d tiêu chí", RANK_MAX_KEYS);
        s->ranking.n = 0;
        size_t i;
        json_t *k;
        json_array_foreach(ranking, i, k)
        {
            int key = json_is_string(k) ? rank_key_from_name(json_string_value(k)) : -1;
            if (key < 0) {
                char f[32];
                snprintf(f, sizeof f, "ranking[%zu]", i);
                return fail(x, f,
                            "tiêu chí không hợp lệ (score_desc, prediction_error_asc, "
                            "submitted_at_asc, duration_asc)");
            }
            s->ranking.keys[s->ranking.n++] = (rank_key)key;
        }
    }
    long long n;
    if (get_int(x, doc, "", "grace_seconds", 0, 300, 10, &n) != 0)
        return -1;
    s->grace_ms = (int)n * 1000;
    if (get_int(x, doc, "", "points_per_question", 1, 100, 1, &n) != 0)
        return -1;
    s->points = (int)n;
    return parse_certificate(x, doc, s);
}

static int load_banks(ctx *x, db_conn *c, json_t *doc, int64_t contest_id)
{
    json_t *banks = json_object_get(doc, "banks");
    if (!json_is_array(banks) || json_array_size(banks) == 0)
        return fail(x, "banks", "phải là danh sách ngân hàng câu hỏi, ví dụ [{\"id\": \"cchc-nghe-an\"}]");
    sqlite3_stmt *st = db_stmt(c, Q_CONTEST_BANKS_CLEAR);
    sqlite3_bind_int64(st, 1, contest_id);
    sqlite3_step(st);
    db_done(st);
    size_t i;
    json_t *b;
    json_array_foreach(banks, i, b)
    {
        char path[32];
        snprintf(path, sizeof path, "banks[%zu]", i);
        static const char *const allowed[] = {"id", "version", NULL};
        if (!json_is_object(b))
            return fail(x, path, "phải là đối tượng {\"id\", \"version\"}");
        if (check_keys(x, b, path, allowed) != 0)
            return -1;
        const char *id;
        long long version;
        if (get_str(x, b, path, "id", 1, 64, &id) != 0 ||
            get_int(x, b, path, "version", 1, 1000000, 0, &version) != 0)
            return -1;
        st = db_stmt(c, version ? Q_BANK_VERSION : Q_BANK_LATEST);
        db_bind_text(st, 1, id);
        if (version)
            sqlite3_bind_int64(st, 2, version);
        int64_t bank_id = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
        db_done(st);
        if (!bank_id) {
            char f[48];
            snprintf(f, sizeof f, "%s.id", path);
            return fail(x, f, "chưa có ngân hàng câu hỏi \"%s\"%s trong cơ sở dữ liệu", id,
                        version ? " ở phiên bản này" : "");
        }
        st = db_stmt(c, Q_CONTEST_BANK_ADD);
        sqlite3_bind_int64(st, 1, contest_id);
        sqlite3_bind_int64(st, 2, bank_id);
        sqlite3_step(st);
        db_done(st);
    }
    return 0;
}

static int load_units(ctx *x, db_conn *c, json_t *doc, int64_t contest_id)
{
    json_t *units = json_object_get(doc, "units");
    if (!json_is_array(units) || json_array_size(units) == 0)
        return fail(x, "units", "phải là danh sách đơn vị khác rỗng");
    if (json_array_size(units) > CONTEST_MAX_UNITS)
        return fail(x, "units", "tối đa %d đơn vị", CONTEST_MAX_UNITS);
    size_t i;
    json_t *u;
    json_array_foreach(units, i, u)
    {
        char path[32];
        snprintf(path, sizeof path, "units[%zu]", i);
        static const char *const allowed[] = {"id", "name", "block", "headcount", NULL};
        if (!json_is_object(u))
            return fail(x, path, "phải là đối tượng");
        if (check_keys(x, u, path, allowed) != 0)
            return -1;
        const char *id, *name, *block;
        long long headcount;
        if (get_str(x, u, path, "id", 1, 64, &id) != 0 ||
            get_str(x, u, path, "name", 1, 300, &name) != 0 ||
            get_str(x, u, path, "block", 0, 200, &block) != 0 ||
            get_int(x, u, path, "headcount", 1, 10000000, 0, &headcount) != 0)
            return -1;
        if (!is_key(id)) {
            char f[48];
            snprintf(f, sizeof f, "%s.id", path);
            return fail(x, f, "chỉ gồm a-z, 0-9, - _ . (tối đa 64 ký tự)");
        }
        sqlite3_stmt *st = db_stmt(c, Q_UNIT_UPSERT);
        sqlite3_bind_int64(st, 1, contest_id);
        db_bind_text(st, 2, id);
        db_bind_text(st, 3, name);
        db_bind_text(st, 4, block);
        if (headcount)
            sqlite3_bind_int64(st, 5, headcount);
        sqlite3_bind_int64(st, 6, (int64_t)i);
        int rc = sqlite3_step(st);
        db_done(st);
        if (rc != SQLITE_DONE)
            return fail(x, path, "không ghi được: %s", sqlite3_errmsg(db_handle(c)));
    }
    return 0;
}

static int count_candidates(db_conn *c, int64_t contest_id, const char *category, int difficulty,
                            int track)
{
    sqlite3_stmt *st = db_stmt(c, Q_CANDIDATES);
    sqlite3_bind_int64(st, 1, contest_id);
    db_bind_text(st, 2, category);
    sqlite3_bind_int(st, 3, difficulty);
    sqlite3_bind_int(st, 4, track);
    int n = 0;
    while (sqlite3_step(st) == SQLITE_ROW)
        n++;
    db_done(st);
    return n;
}

static int load_blueprint(ctx *x, db_conn *c, json_t *bp, const char *rpath, int64_t contest_id,
                          unsigned tracks, char **out_json, int *out_count)
{
    char path[64];
    snprintf(path, sizeof path, "%s.blueprint", rpath);
    if (!json_is_array(bp) || json_array_size(bp) == 0 ||
        json_array_size(bp) > BLUEPRINT_MAX_SLOTS)
        return fail(x, path, "phải là danh sách 1–%d dòng {category, difficulty, count}",
                    BLUEPRINT_MAX_SLOTS);
    static const char *const diffs[] = {"any", "easy", "medium", "hard"};
    json_t *norm = json_array();
    int total = 0;
    size_t i;
    json_t *slot;
    json_array_foreach(bp, i, slot)
    {
        char sp[128];
        snprintf(sp, sizeof sp, "%s[%zu]", path, i);
        static const char *const allowed[] = {"category", "difficulty", "count", NULL};
        const char *cat, *diff;
        long long count;
        if (!json_is_object(slot) || check_keys(x, slot, sp, allowed) != 0 ||
            get_str(x, slot, sp, "category", 1, 64, &cat) != 0 ||
            get_str(x, slot, sp, "difficulty", 0, 16, &diff) != 0 ||
            get_int(x, slot, sp, "count", 1, BLUEPRINT_MAX_QUESTIONS, 1, &count) != 0) {
            if (!json_is_object(slot))
                fail(x, sp, "phải là đối tượng");
            json_decref(norm);
            return -1;
        }
        int d = diff ? pick(diff, diffs, 4) : 0;
        if (d < 0) {
            json_decref(norm);
            char f[160];
            snprintf(f, sizeof f, "%s.difficulty", sp);
            return fail(x, f, "phải là easy, medium, hard hoặc any");
        }
        for (int t = 1; t <= 2; t++) {
            if (!(tracks & (1u << t)))
                continue;
            int have = count_candidates(c, contest_id, cat, d, t);
            if (have < count) {
                json_decref(norm);
                return fail(x, sp,
                            "cần %lld câu hỏi nhóm \"%s\" (độ khó %s) cho đối tượng %s nhưng "
                            "ngân hàng chỉ có %d",
                            count, cat, diffs[d], contest_track_name(t), have);
            }
        }
        total += (int)count;
        json_array_append_new(norm, json_pack("{s:s, s:i, s:i}", "category", cat, "difficulty",
                                              d, "count", (int)count));
    }
    if (total > BLUEPRINT_MAX_QUESTIONS) {
        json_decref(norm);
        return fail(x, path, "tối đa %d câu hỏi một lượt", BLUEPRINT_MAX_QUESTIONS);
    }
    *out_json = json_dumps(norm, JSON_COMPACT);
    json_decref(norm);
    *out_count = total;
    return 0;
}

static int load_rounds(ctx *x, db_conn *c, json_t *doc, int64_t contest_id, unsigned tracks)
{
    json_t *rounds = json_object_get(doc, "rounds");
    if (!json_is_array(rounds) || json_array_size(rounds) == 0 ||
        json_array_size(rounds) > CONTEST_MAX_ROUNDS)
        return fail(x, "rounds", "phải là danh sách 1–%d vòng thi", CONTEST_MAX_ROUNDS);
    size_t i;
    json_t *r;
    json_array_foreach(rounds, i, r)
    {
        char path[32];
        snprintf(path, sizeof path, "rounds[%zu]", i);
        static const char *const allowed[] = {
            "id", "title", "opens_at", "closes_at", "duration_seconds", "attempts", "counting",
            "shuffle_questions", "shuffle_options", "blueprint", "prediction", "freeze_at", NULL};
        if (!json_is_object(r))
            return fail(x, path, "phải là đối tượng");
        if (check_keys(x, r, path, allowed) != 0)
            return -1;
        const char *id, *title, *counting, *prediction;
        int64_t opens, closes;
        long long duration, attempts;
        if (get_str(x, r, path, "id", 1, 64, &id) != 0 ||
            get_str(x, r, path, "title", 1, 300, &title) != 0 ||
            get_time(x, r, path, "opens_at", &opens) != 0 ||
            get_time(x, r, path, "closes_at", &closes) != 0 ||
            get_int(x, r, path, "duration_seconds", 1, 86400, 900, &duration) != 0 ||
            get_int(x, r, path, "attempts", 1, 100, 1, &attempts) != 0 ||
            get_str(x, r, path, "counting", 0, 16, &counting) != 0 ||
            get_str(x, r, path, "prediction", 0, 500, &prediction) != 0)
            return -1;
        if (!is_key(id)) {
            char f[48];
            snprintf(f, sizeof f, "%s.id", path);
            return fail(x, f, "chỉ gồm a-z, 0-9, - _ . (tối đa 64 ký tự)");
        }
        if (closes <= opens) {
            char f[48];
            snprintf(f, sizeof f, "%s.closes_at", path);
            return fail(x, f, "phải sau thời điểm mở (opens_at)");
        }
        int64_t freeze = 0;
        int has_freeze = json_object_get(r, "freeze_at") && !json_is_null(json_object_get(r, "freeze_at"));
        if (has_freeze && get_time(x, r, path, "freeze_at", &freeze) != 0)
            return -1;
        if (has_freeze && (freeze < opens || freeze > closes)) {
            char f[48];
            snprintf(f, sizeof f, "%s.freeze_at", path);
            return fail(x, f, "phải nằm trong khoảng từ opens_at đến closes_at");
        }
        static const char *const countings[] = {"best", "last"};
        int cnt = counting ? pick(counting, countings, 2) : COUNT_BEST;
        if (cnt < 0) {
            char f[48];
            snprintf(f, sizeof f, "%s.counting", path);
            return fail(x, f, "phải là best hoặc last");
        }
        json_t *sq = json_object_get(r, "shuffle_questions");
        json_t *so = json_object_get(r, "shuffle_options");
        if ((sq && !json_is_boolean(sq)) || (so && !json_is_boolean(so))) {
            char f[64];
            snprintf(f, sizeof f, "%s.%s", path, sq && !json_is_boolean(sq) ? "shuffle_questions"
                                                                           : "shuffle_options");
            return fail(x, f, "phải là true hoặc false");
        }
        char *bp = NULL;
        int qcount = 0;
        if (load_blueprint(x, c, json_object_get(r, "blueprint"), path, contest_id, tracks, &bp,
                           &qcount) != 0)
            return -1;
        sqlite3_stmt *st = db_stmt(c, Q_ROUND_UPSERT);
        sqlite3_bind_int64(st, 1, contest_id);
        db_bind_text(st, 2, id);
        db_bind_text(st, 3, title);
        sqlite3_bind_int64(st, 4, (int64_t)i);
        sqlite3_bind_int64(st, 5, opens);
        sqlite3_bind_int64(st, 6, closes);
        sqlite3_bind_int64(st, 7, duration * 1000);
        sqlite3_bind_int64(st, 8, attempts);
        sqlite3_bind_int(st, 9, cnt);
        sqlite3_bind_int(st, 10, sq ? json_is_true(sq) : 1);
        sqlite3_bind_int(st, 11, so ? json_is_true(so) : 1);
        db_bind_text(st, 12, bp);
        sqlite3_bind_int(st, 13, qcount);
        db_bind_text(st, 14, prediction && *prediction ? prediction : NULL);
        int rc = sqlite3_step(st);
        db_done(st);
        free(bp);
        if (rc != SQLITE_DONE)
            return fail(x, path, "không ghi được: %s", sqlite3_errmsg(db_handle(c)));
        st = db_stmt(c, Q_ROUND_SET_FREEZE);
        sqlite3_bind_int64(st, 1, contest_id);
        db_bind_text(st, 2, id);
        if (has_freeze)
            sqlite3_bind_int64(st, 3, freeze);
        rc = sqlite3_step(st);
        db_done(st);
        if (rc != SQLITE_DONE)
            return fail(x, path, "không ghi được: %s", sqlite3_errmsg(db_handle(c)));
    }
    return 0;
}

int contest_load(db_conn *c, json_t *doc, int64_t now_ms, int64_t *contest_id, char *err,
                 size_t errn)
{
    ctx x = {err, errn, now_ms};
    if (!json_is_object(doc))
        return fail(&x, "(gốc)", "tệp cuộc thi phải là một đối tượng JSON");
    static const char *const allowed[] = {
        "format", "id", "title", "organiser", "rules", "banks", "tracks", "registration",
        "review", "ranking", "aggregate", "grace_seconds", "points_per_question", "units",
        "rounds", "certificate", NULL};
    if (check_keys(&x, doc, "", allowed) != 0)
        return -1;
    const char *format, *id, *title, *organiser, *rules;
    if (get_str(&x, doc, "", "format", 1, 32, &format) != 0)
        return -1;
    if (strcmp(format, "cchc-contest/1") != 0)
        return fail(&x, "format", "phải là \"cchc-contest/1\"");
    if (get_str(&x, doc, "", "id", 1, 64, &id) != 0 ||
        get_str(&x, doc, "", "title", 1, 300, &title) != 0 ||
        get_str(&x, doc, "", "organiser", 1, 300, &organiser) != 0 ||
        get_str(&x, doc, "", "rules", 0, 50000, &rules) != 0)
        return -1;
    if (!is_key(id))
        return fail(&x, "id", "chỉ gồm a-z, 0-9, - _ . (tối đa 64 ký tự)");
    contest_settings s;
    if (parse_settings(&x, doc, &s) != 0)
        return -1;
    json_t *sj = contest_settings_json(&s);
    char *settings = json_dumps(sj, JSON_COMPACT);
    json_decref(sj);
    sqlite3_stmt *st = db_stmt(c, Q_CONTEST_UPSERT);
    db_bind_text(st, 1, id);
    db_bind_text(st, 2, title);
    db_bind_text(st, 3, organiser);
    db_bind_text(st, 4, rules ? rules : "");
    db_bind_text(st, 5, settings);
    sqlite3_bind_int64(st, 6, now_ms);
    int64_t cid = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
    db_done(st);
    free(settings);
    if (!cid)
        return fail(&x, "id", "không ghi được cuộc thi: %s", sqlite3_errmsg(db_handle(c)));
    if (load_banks(&x, c, doc, cid) != 0 || load_units(&x, c, doc, cid) != 0 ||
        load_rounds(&x, c, doc, cid, s.tracks) != 0)
        return -1;
    *contest_id = cid;
    return 0;
}
