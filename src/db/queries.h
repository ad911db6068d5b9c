/* queries: every SQL statement of the engine, in one place. Each is prepared
 * once per connection (SQLITE_PREPARE_PERSISTENT) on first use; see db_stmt.
 * Only leaderboards build an ORDER BY at run time, from the fixed fragments in
 * quiz/rank.c. */
#ifndef CCHC_QUERIES_H
#define CCHC_QUERIES_H

#define RESULT_COLS "round_id, participant_id, attempt_id, track, unit_id, score, " \
    "max_score, correct, total, duration_ms, submitted_at, prediction"
#define RESULT_UPDATE "attempt_id = excluded.attempt_id, score = excluded.score, " \
    "max_score = excluded.max_score, correct = excluded.correct, total = excluded.total, " \
    "duration_ms = excluded.duration_ms, submitted_at = excluded.submitted_at, " \
    "prediction = excluded.prediction"

#define DB_QUERIES(X) \
    /* participants and their tokens */ \
    X(Q_TOKEN_LOOKUP, "SELECT p.id, p.contest_id, p.track, p.unit_id FROM participant_tokens t " \
      "JOIN participants p ON p.id = t.participant_id WHERE t.token_hash = ?1") \
    X(Q_TOKEN_INSERT, "INSERT INTO participant_tokens(token_hash, participant_id, created_at) " \
      "VALUES (?1, ?2, ?3)") \
    X(Q_PARTICIPANT_INSERT, "INSERT INTO participants(contest_id, full_name, name_key, unit_id, " \
      "phone, cccd, email, track, consent_text, consent_at, created_at, created_ip) " \
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11)") \
    X(Q_PARTICIPANT_BY_PHONE, "SELECT id, name_key, cccd FROM participants " \
      "WHERE contest_id = ?1 AND phone = ?2") \
    X(Q_PARTICIPANT_BY_CCCD, "SELECT id FROM participants WHERE contest_id = ?1 AND cccd = ?2") \
    X(Q_PARTICIPANT_TRACK_UNIT, "SELECT track, unit_id FROM participants WHERE id = ?1") \
    X(Q_PARTICIPANT_ME, "SELECT p.full_name, u.ukey, u.name, p.track, c.ckey FROM participants p " \
      "JOIN units u ON u.id = p.unit_id JOIN contests c ON c.id = p.contest_id WHERE p.id = ?1") \
    /* contests, units, rounds */ \
    X(Q_CONTEST_LIST, "SELECT id, ckey, title, organiser FROM contests ORDER BY id") \
    X(Q_CONTEST_BY_KEY, "SELECT id, ckey, title, organiser, rules, settings FROM contests " \
      "WHERE ckey = ?1") \
    X(Q_CONTEST_BY_ID, "SELECT id, ckey, title, organiser, rules, settings FROM contests " \
      "WHERE id = ?1") \
    X(Q_CONTEST_SETTINGS, "SELECT settings, updated_at FROM contests WHERE id = ?1") \
    X(Q_CONTEST_UPSERT, "INSERT INTO contests(ckey, title, organiser, rules, settings, " \
      "created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6) ON CONFLICT(ckey) DO UPDATE " \
      "SET title = excluded.title, organiser = excluded.organiser, rules = excluded.rules, " \
      "settings = excluded.settings, updated_at = excluded.updated_at RETURNING id") \
    X(Q_CONTEST_BANKS_CLEAR, "DELETE FROM contest_banks WHERE contest_id = ?1") \
    X(Q_CONTEST_BANK_ADD, "INSERT OR IGNORE INTO contest_banks(contest_id, bank_id) " \
      "VALUES (?1, ?2)") \
    X(Q_UNIT_UPSERT, "INSERT INTO units(contest_id, ukey, name, block, headcount, position) " \
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6) ON CONFLICT(contest_id, ukey) DO UPDATE SET " \
      "name = excluded.name, block = excluded.block, headcount = excluded.headcount, " \
      "position = excluded.position") \
    X(Q_UNITS_OF_CONTEST, "SELECT id, ukey, name, block, headcount FROM units " \
      "WHERE contest_id = ?1 ORDER BY position") \
    X(Q_UNIT_BY_KEY, "SELECT id FROM units WHERE contest_id = ?1 AND ukey = ?2") \
    X(Q_UNIT_STATS, "SELECT u.ukey, u.name, u.block, u.headcount, " \
      "(SELECT count(*) FROM participants p WHERE p.unit_id = u.id), " \
      "(SELECT count(*) FROM attempts a JOIN participants p ON p.id = a.participant_id " \
      "  WHERE p.unit_id = u.id AND a.status <> 0), " \
      "(SELECT avg(r.score) FROM results r WHERE r.unit_id = u.id) " \
      "FROM units u WHERE u.contest_id = ?1 ORDER BY u.position") \
    X(Q_ROUND_UPSERT, "INSERT INTO rounds(contest_id, rkey, title, position, opens_at, closes_at, " \
      "duration_ms, attempts_allowed, counting, shuffle_questions, shuffle_options, blueprint, " \
      "question_count, prediction_text) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, " \
      "?13, ?14) ON CONFLICT(contest_id, rkey) DO UPDATE SET title = excluded.title, " \
      "position = excluded.position, opens_at = excluded.opens_at, closes_at = excluded.closes_at, " \
      "duration_ms = excluded.duration_ms, attempts_allowed = excluded.attempts_allowed, " \
      "counting = excluded.counting, shuffle_questions = excluded.shuffle_questions, " \
      "shuffle_options = excluded.shuffle_options, blueprint = excluded.blueprint, " \
      "question_count = excluded.question_count, prediction_text = excluded.prediction_text, " \
      "perfect_count = NULL, settled_at = NULL") \
    X(Q_ROUNDS_OF_CONTEST, "SELECT id, rkey, title, opens_at, closes_at, duration_ms, " \
      "attempts_allowed, question_count, prediction_text FROM rounds WHERE contest_id = ?1 " \
      "ORDER BY position") \
    X(Q_ROUND_BY_ID, "SELECT id, contest_id, opens_at, closes_at, duration_ms, attempts_allowed, " \
      "counting, shuffle_questions, shuffle_options, blueprint, question_count, prediction_text, " \
      "perfect_count, settled_at FROM rounds WHERE id = ?1") \
    X(Q_ROUNDS_TO_SETTLE, "SELECT id FROM rounds WHERE settled_at IS NULL AND closes_at < ?1") \
    X(Q_ROUND_OPEN_ATTEMPTS, "SELECT count(*) FROM attempts WHERE round_id = ?1 AND status = 0") \
    X(Q_ROUND_PERFECT, "SELECT count(*) FROM results WHERE round_id = ?1 AND total > 0 " \
      "AND correct = total") \
    X(Q_ROUND_SETTLE, "UPDATE rounds SET perfect_count = ?2, settled_at = ?3 WHERE id = ?1") \
    X(Q_RESULTS_PRED_ERROR, "UPDATE results SET prediction_error = CASE WHEN prediction IS NULL " \
      "THEN NULL ELSE abs(prediction - ?2) END WHERE round_id = ?1") \
    /* questions */ \
    X(Q_CANDIDATES, "SELECT q.id FROM questions q JOIN contest_banks cb ON cb.bank_id = q.bank_id " \
      "WHERE cb.contest_id = ?1 AND q.category = ?2 AND (?3 = 0 OR q.difficulty = ?3) " \
      "AND (q.track = 0 OR ?4 = 0 OR q.track = ?4) AND q.voided = 0 ORDER BY q.id") \
    X(Q_QUESTION_DISPLAY, "SELECT text, options, multi FROM questions WHERE id = ?1") \
    X(Q_QUESTION_KEY, "SELECT correct_mask, voided, multi FROM questions WHERE id = ?1") \
    X(Q_QUESTION_REVIEW, "SELECT explanation, source_document, source_article, source_url " \
      "FROM questions WHERE id = ?1") \
    /* attempts and results */ \
    X(Q_ATTEMPT_OPEN_FOR, "SELECT id FROM attempts WHERE round_id = ?1 AND participant_id = ?2 " \
      "AND status = 0") \
    X(Q_ATTEMPT_COUNT, "SELECT count(*) FROM attempts WHERE round_id = ?1 AND participant_id = ?2") \
    X(Q_ATTEMPT_INSERT, "INSERT INTO attempts(round_id, participant_id, attempt_no, started_at, " \
      "deadline_at, items) VALUES (?1, ?2, ?3, ?4, ?5, ?6)") \
    X(Q_ATTEMPT_GET, "SELECT a.id, a.round_id, a.participant_id, a.status, a.started_at, " \
      "a.deadline_at, a.items, a.answers, a.prediction, a.submitted_at, a.score, a.max_score, " \
      "a.correct, a.total, a.duration_ms, r.prediction_text, r.closes_at, r.contest_id " \
      "FROM attempts a JOIN rounds r ON r.id = a.round_id WHERE a.id = ?1") \
    X(Q_ATTEMPTS_OF_PARTICIPANT, "SELECT id, round_id, status, score, max_score, deadline_at " \
      "FROM attempts WHERE participant_id = ?1 ORDER BY id") \
    X(Q_ATTEMPT_SAVE, "UPDATE attempts SET answers = ?2, prediction = ?3, saved_at = ?4 " \
      "WHERE id = ?1 AND status = 0") \
    X(Q_ATTEMPT_FINAL, "UPDATE attempts SET status = ?2, answers = ?3, prediction = ?4, " \
      "submitted_at = ?5, score = ?6, max_score = ?7, correct = ?8, total = ?9, " \
      "duration_ms = ?10 WHERE id = ?1 AND status = 0") \
    X(Q_ATTEMPTS_EXPIRED, "SELECT id FROM attempts WHERE status = 0 AND deadline_at < ?1 " \
      "ORDER BY deadline_at LIMIT 500") \
    X(Q_RESULT_UPSERT_BEST, "INSERT INTO results(" RESULT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, " \
      "?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT(round_id, participant_id) DO UPDATE SET " \
      RESULT_UPDATE " WHERE excluded.score > results.score") \
    X(Q_RESULT_UPSERT_LAST, "INSERT INTO results(" RESULT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, " \
      "?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT(round_id, participant_id) DO UPDATE SET " \
      RESULT_UPDATE) \
    X(Q_RESULTS_COUNT, "SELECT count(*) FROM results WHERE round_id = ?1 " \
      "AND (?2 = 0 OR track = ?2)") \
    /* banks */ \
    X(Q_BANK_SAME_CONTENT, "SELECT id, version FROM banks WHERE bank_key = ?1 AND sha256 = ?2") \
    X(Q_BANK_NEXT_VERSION, "SELECT coalesce(max(version), 0) + 1 FROM banks WHERE bank_key = ?1") \
    X(Q_BANK_INSERT, "INSERT INTO banks(bank_key, version, title, source_name, sha256, " \
      "imported_at, imported_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)") \
    X(Q_CATEGORY_INSERT, "INSERT INTO categories(bank_id, cat_key, title) VALUES (?1, ?2, ?3)") \
    X(Q_QUESTION_INSERT, "INSERT INTO questions(bank_id, qkey, category, difficulty, track, text, " \
      "options, correct_mask, multi, explanation, source_document, source_article, source_url, " \
      "tags, line) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)") \
    X(Q_BANK_LATEST, "SELECT id FROM banks WHERE bank_key = ?1 ORDER BY version DESC LIMIT 1") \
    X(Q_BANK_VERSION, "SELECT id FROM banks WHERE bank_key = ?1 AND version = ?2") \
    X(Q_BANK_LIST, "SELECT b.id, b.bank_key, b.version, b.title, b.imported_at, " \
      "(SELECT count(*) FROM questions q WHERE q.bank_id = b.id) FROM banks b " \
      "ORDER BY b.bank_key, b.version") \
    /* staff */ \
    X(Q_USER_UPSERT, "INSERT INTO users(username, pw_hash, role, created_at) VALUES (?1, ?2, ?3, ?4) " \
      "ON CONFLICT(username) DO UPDATE SET pw_hash = excluded.pw_hash, role = excluded.role") \
    X(Q_USER_BY_NAME, "SELECT id, pw_hash, role FROM users WHERE username = ?1") \
    X(Q_SESSION_INSERT, "INSERT INTO staff_sessions(token_hash, user_id, csrf, created_at, " \
      "expires_at) VALUES (?1, ?2, ?3, ?4, ?5)") \
    X(Q_SESSION_LOOKUP, "SELECT u.id, u.username, u.role, s.csrf FROM staff_sessions s " \
      "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1 AND s.expires_at > ?2") \
    X(Q_SESSION_DELETE, "DELETE FROM staff_sessions WHERE token_hash = ?1") \
    X(Q_AUDIT_INSERT, "INSERT INTO audit_log(at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)") \
    X(Q_META_GET, "SELECT value FROM meta WHERE key = ?1") \
    X(Q_META_SET, "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE " \
      "SET value = excluded.value")

typedef enum {
#define DB_QUERY_ENUM(name, sql) name,
    DB_QUERIES(DB_QUERY_ENUM)
#undef DB_QUERY_ENUM
    Q_COUNT
} db_query;

extern const char *const db_query_sql[Q_COUNT];

#endif
