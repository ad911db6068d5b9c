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

#define CERT_COLS "ct.id, ct.number, ct.participant_id, ct.round_id, ct.attempt_id, " \
    "ct.fields, ct.signature, ct.key_id, ct.issued_at, ct.revoked_at, ct.revoke_reason, " \
    "ct.revoked_by, c.id, c.organiser"

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
    /* the same two, for work prepared on a reader: only while the attempt is as it was read */ \
    X(Q_ATTEMPT_SAVE_IF, "UPDATE attempts SET answers = ?2, prediction = ?3, saved_at = ?4 " \
      "WHERE id = ?1 AND status = 0 AND answers = ?5 AND prediction IS ?6 AND deadline_at = ?7") \
    X(Q_ATTEMPT_FINAL_IF, "UPDATE attempts SET status = ?2, answers = ?3, prediction = ?4, " \
      "submitted_at = ?5, score = ?6, max_score = ?7, correct = ?8, total = ?9, " \
      "duration_ms = ?10 WHERE id = ?1 AND status = 0 AND answers = ?11 AND prediction IS ?12 " \
      "AND deadline_at = ?13") \
    X(Q_QUIZ_GEN, "SELECT gen FROM quiz_gen WHERE id = 1") \
    X(Q_AUTH_GEN, "SELECT gen FROM auth_gen WHERE id = 1") \
    X(Q_READ_BEGIN, "BEGIN") \
    X(Q_READ_END, "COMMIT") \
    X(Q_ATTEMPTS_EXPIRED, "SELECT id FROM attempts WHERE status = 0 AND deadline_at < ?1 " \
      "ORDER BY deadline_at LIMIT 500") \
    X(Q_RESULT_UPSERT_BEST, "INSERT INTO results(" RESULT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, " \
      "?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT(round_id, participant_id) DO UPDATE SET " \
      RESULT_UPDATE " WHERE excluded.score > results.score") \
    X(Q_RESULT_UPSERT_LAST, "INSERT INTO results(" RESULT_COLS ") VALUES (?1, ?2, ?3, ?4, ?5, " \
      "?6, ?7, ?8, ?9, ?10, ?11, ?12) ON CONFLICT(round_id, participant_id) DO UPDATE SET " \
      RESULT_UPDATE) \
    /* banks */ \
    X(Q_BANK_SAME_CONTENT, "SELECT id, version FROM banks WHERE bank_key = ?1 AND sha256 = ?2") \
    X(Q_BANK_NEXT_VERSION, "SELECT coalesce(max(version), 0) + 1 FROM banks WHERE bank_key = ?1") \
    X(Q_BANK_INSERT, "INSERT INTO banks(bank_key, version, title, source_name, sha256, " \
      "imported_at, imported_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)") \
    X(Q_CATEGORY_INSERT, "INSERT INTO categories(bank_id, cat_key, title) VALUES (?1, ?2, ?3)") \
    X(Q_QUESTION_INSERT, "INSERT INTO questions(bank_id, qkey, category, difficulty, track, text, " \
      "options, correct_mask, multi, explanation, source_document, source_article, source_url, " \
      "tags, line, text_key) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, " \
      "?14, ?15, ?16)") \
    X(Q_BANK_LATEST, "SELECT id FROM banks WHERE bank_key = ?1 ORDER BY version DESC LIMIT 1") \
    X(Q_BANK_VERSION, "SELECT id FROM banks WHERE bank_key = ?1 AND version = ?2") \
    X(Q_BANK_LIST, "SELECT b.id, b.bank_key, b.version, b.title, b.imported_at, " \
      "(SELECT count(*) FROM questions q WHERE q.bank_id = b.id) FROM banks b " \
      "ORDER BY b.bank_key, b.version") \
    /* question banks: formats, uploads, versions, regrade (bank/, quiz/regrade.c) */ \
    X(Q_BANK_DUPLICATE, "SELECT b.bank_key, b.version, q.qkey, q.line FROM questions q " \
      "JOIN banks b ON b.id = q.bank_id WHERE q.text_key = ?1 AND b.bank_key <> ?2 " \
      "AND b.version = (SELECT max(b2.version) FROM banks b2 WHERE b2.bank_key = b.bank_key) " \
      "ORDER BY b.bank_key LIMIT 3") \
    X(Q_BANK_ROW, "SELECT id, version, title, imported_at, imported_by, source_name FROM banks " \
      "WHERE bank_key = ?1 AND version = CASE WHEN ?2 > 0 THEN ?2 ELSE " \
      "(SELECT max(version) FROM banks WHERE bank_key = ?1) END") \
    X(Q_BANK_VERSIONS_OF, "SELECT id, version FROM banks WHERE bank_key = ?1 ORDER BY version") \
    X(Q_BANK_CATEGORIES_OF, "SELECT c.cat_key, c.title FROM categories c WHERE c.bank_id = ?1 " \
      "ORDER BY (SELECT min(q.id) FROM questions q WHERE q.bank_id = c.bank_id " \
      "AND q.category = c.cat_key) NULLS LAST, c.cat_key") \
    X(Q_BANK_ALL_QUESTIONS, "SELECT qkey, category, difficulty, track, text, options, " \
      "correct_mask, multi, explanation, source_document, source_article, source_url, tags, " \
      "line, id, voided FROM questions WHERE bank_id = ?1 ORDER BY id") \
    X(Q_BANKQ_SEARCH, "SELECT id, qkey, category, difficulty, track, text, options, " \
      "correct_mask, multi, voided, explanation, source_document, source_article, source_url, " \
      "tags FROM questions WHERE bank_id = ?1 AND (?2 IS NULL OR category = ?2) " \
      "AND (?3 IS NULL OR text_key LIKE ?3 ESCAPE '\\' OR qkey = ?4) ORDER BY id " \
      "LIMIT ?5 OFFSET ?6") \
    X(Q_BANKQ_COUNT, "SELECT count(*) FROM questions WHERE bank_id = ?1 " \
      "AND (?2 IS NULL OR category = ?2) " \
      "AND (?3 IS NULL OR text_key LIKE ?3 ESCAPE '\\' OR qkey = ?4)") \
    X(Q_BANK_USED_BY, "SELECT c.ckey FROM contest_banks cb JOIN contests c ON c.id = cb.contest_id " \
      "WHERE cb.bank_id = ?1 ORDER BY c.ckey") \
    X(Q_CONTEST_BANK_OF_KEY, "SELECT b.id, b.version FROM contest_banks cb JOIN banks b " \
      "ON b.id = cb.bank_id WHERE cb.contest_id = ?1 AND b.bank_key = ?2") \
    X(Q_CONTEST_BANK_SWAP, "UPDATE contest_banks SET bank_id = ?3 WHERE contest_id = ?1 " \
      "AND bank_id = ?2") \
    X(Q_CONTEST_BLUEPRINTS, "SELECT rkey, blueprint FROM rounds WHERE contest_id = ?1 " \
      "ORDER BY position") \
    X(Q_REGRADE_QUESTION, "SELECT q.correct_mask, q.voided, q.multi, q.options, q.qkey, " \
      "b.bank_key, b.version FROM questions q JOIN banks b ON b.id = q.bank_id WHERE q.id = ?1") \
    X(Q_REGRADE_SET_KEY, "UPDATE questions SET correct_mask = ?2, voided = ?3 WHERE id = ?1") \
    X(Q_REGRADE_SCAN, "SELECT id, round_id, participant_id, items, answers, correct, score " \
      "FROM attempts WHERE status <> 0 AND instr(';' || items, ';' || ?1 || ':') > 0") \
    X(Q_REGRADE_ATTEMPT_SET, "UPDATE attempts SET score = ?2, correct = ?3 WHERE id = ?1") \
    X(Q_REGRADE_ROUND, "SELECT contest_id, counting, settled_at, freeze_at, title, rkey " \
      "FROM rounds WHERE id = ?1") \
    X(Q_REGRADE_FINALS, "SELECT id, attempt_no, score, max_score, correct, total, duration_ms, " \
      "submitted_at, prediction FROM attempts WHERE round_id = ?1 AND participant_id = ?2 " \
      "AND status <> 0 ORDER BY attempt_no") \
    X(Q_REGRADE_RESULT_SET, "UPDATE results SET attempt_id = ?3, score = ?4, max_score = ?5, " \
      "correct = ?6, total = ?7, duration_ms = ?8, submitted_at = ?9, prediction = ?10 " \
      "WHERE round_id = ?1 AND participant_id = ?2") \
    X(Q_REGRADE_PREFREEZE_GET, "SELECT attempt_id FROM results_prefreeze WHERE round_id = ?1 " \
      "AND participant_id = ?2") \
    X(Q_REGRADE_PREFREEZE_SET, "UPDATE results_prefreeze SET attempt_id = ?3, score = ?4, " \
      "max_score = ?5, correct = ?6, total = ?7, duration_ms = ?8, submitted_at = ?9, " \
      "prediction = ?10 WHERE round_id = ?1 AND participant_id = ?2") \
    X(Q_REGRADE_PREFREEZE_DEL, "DELETE FROM results_prefreeze WHERE round_id = ?1 " \
      "AND participant_id = ?2") \
    X(Q_ROUND_SET_PERFECT, "UPDATE rounds SET perfect_count = ?2 WHERE id = ?1") \
    X(Q_BENCH_QUESTIONS, "SELECT q.id, q.options, q.correct_mask FROM questions q " \
      "JOIN contest_banks cb ON cb.bank_id = q.bank_id WHERE cb.contest_id = ?1 " \
      "AND q.voided = 0 AND q.multi = 0 ORDER BY q.id") \
    X(Q_BENCH_ATTEMPT_INSERT, "INSERT INTO attempts(round_id, participant_id, attempt_no, status, " \
      "started_at, deadline_at, items, answers, submitted_at, score, max_score, correct, total, " \
      "duration_ms) VALUES (?1, ?2, 1, 1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)") \
    /* staff */ \
    X(Q_USER_UPSERT, "INSERT INTO users(username, pw_hash, role, created_at) VALUES (?1, ?2, ?3, ?4) " \
      "ON CONFLICT(username) DO UPDATE SET pw_hash = excluded.pw_hash, role = excluded.role") \
    X(Q_USER_BY_NAME, "SELECT id, pw_hash, role FROM users WHERE username = ?1") \
    X(Q_SESSION_INSERT, "INSERT INTO staff_sessions(token_hash, user_id, csrf, created_at, " \
      "expires_at) VALUES (?1, ?2, ?3, ?4, ?5)") \
    X(Q_SESSION_LOOKUP, "SELECT u.id, u.username, u.role, s.csrf, u.agency FROM staff_sessions s " \
      "JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?1 AND s.expires_at > ?2") \
    X(Q_SESSION_DELETE, "DELETE FROM staff_sessions WHERE token_hash = ?1") \
    X(Q_AUDIT_INSERT, "INSERT INTO audit_log(at, actor, action, detail) VALUES (?1, ?2, ?3, ?4)") \
    X(Q_META_GET, "SELECT value FROM meta WHERE key = ?1") \
    X(Q_META_SET, "INSERT INTO meta(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE " \
      "SET value = excluded.value") \
    /* plan tracking (plan/) */ \
    X(Q_USER_SET_AGENCY, "UPDATE users SET agency = ?2 WHERE username = ?1") \
    X(Q_USER_AGENCY, "SELECT agency FROM users WHERE id = ?1") \
    X(Q_PLAN_UPSERT, "INSERT INTO plans(pkey, number, title, year, starts_on, ends_on, " \
      "grace_days, doc, loaded_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9) " \
      "ON CONFLICT(pkey) DO UPDATE SET number = excluded.number, title = excluded.title, " \
      "year = excluded.year, starts_on = excluded.starts_on, ends_on = excluded.ends_on, " \
      "grace_days = excluded.grace_days, doc = excluded.doc, updated_at = excluded.updated_at " \
      "RETURNING id") \
    X(Q_PLAN_BY_KEY, "SELECT id, pkey, number, title, year, starts_on, ends_on, grace_days, doc, " \
      "updated_at FROM plans WHERE pkey = ?1") \
    X(Q_PLAN_LIST, "SELECT p.id, p.pkey, p.number, p.title, p.year, p.starts_on, p.ends_on, " \
      "(SELECT count(*) FROM plan_tasks t WHERE t.plan_id = p.id AND t.active = 1) " \
      "FROM plans p ORDER BY p.year DESC, p.pkey") \
    X(Q_PLAN_AGENCIES_CLEAR, "DELETE FROM plan_agencies WHERE plan_id = ?1") \
    X(Q_PLAN_AGENCY_INSERT, "INSERT INTO plan_agencies(plan_id, akey, name, kind, position) " \
      "VALUES (?1, ?2, ?3, ?4, ?5)") \
    X(Q_PLAN_AGENCIES, "SELECT akey, name, kind FROM plan_agencies WHERE plan_id = ?1 " \
      "ORDER BY position") \
    X(Q_PLAN_AGENCY_ANY, "SELECT 1 FROM plan_agencies WHERE akey = ?1 LIMIT 1") \
    X(Q_PLAN_TASKS_DEACTIVATE, "UPDATE plan_tasks SET active = 0 WHERE plan_id = ?1") \
    X(Q_PLAN_TASK_CONTESTS_BY_KEY, "SELECT contests FROM plan_tasks WHERE plan_id = ?1 " \
      "AND tkey = ?2") \
    X(Q_PLAN_TASK_UPSERT, "INSERT INTO plan_tasks(plan_id, tkey, source_key, section, text, " \
      "agency, coordinating, frequency, starts_on, due_on, contests, position, active) VALUES " \
      "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, 1) ON CONFLICT(plan_id, tkey) DO " \
      "UPDATE SET source_key = excluded.source_key, section = excluded.section, " \
      "text = excluded.text, agency = excluded.agency, coordinating = excluded.coordinating, " \
      "frequency = excluded.frequency, starts_on = excluded.starts_on, due_on = excluded.due_on, " \
      "contests = excluded.contests, position = excluded.position, active = 1") \
    X(Q_PLAN_TASKS, "SELECT id, tkey, source_key, section, text, agency, coordinating, " \
      "frequency, starts_on, due_on, contests FROM plan_tasks WHERE plan_id = ?1 AND active = 1 " \
      "ORDER BY position") \
    X(Q_PLAN_TASK_GET, "SELECT t.id, t.tkey, t.source_key, t.section, t.text, t.agency, " \
      "t.coordinating, t.frequency, t.starts_on, t.due_on, t.contests, t.plan_id, p.pkey " \
      "FROM plan_tasks t JOIN plans p ON p.id = t.plan_id WHERE t.id = ?1 AND t.active = 1") \
    X(Q_PLAN_TASK_SET_CONTESTS, "UPDATE plan_tasks SET contests = ?2 WHERE id = ?1") \
    X(Q_PLAN_REPORT_DATES, "SELECT r.task_id, r.report_on, r.done FROM plan_reports r " \
      "JOIN plan_tasks t ON t.id = r.task_id WHERE t.plan_id = ?1 AND t.active = 1 " \
      "ORDER BY r.task_id, r.report_on") \
    X(Q_PLAN_REPORTS, "SELECT r.id, r.task_id, r.agency, r.report_on, r.text, r.articles, " \
      "r.broadcast_minutes, r.conferences, r.participants, r.evidence, r.done, r.author, " \
      "r.created_at FROM plan_reports r JOIN plan_tasks t ON t.id = r.task_id " \
      "WHERE t.plan_id = ?1 AND t.active = 1 AND (?2 IS NULL OR t.agency = ?2) " \
      "AND (?3 IS NULL OR t.id = ?3) AND r.report_on BETWEEN ?4 AND ?5 " \
      "ORDER BY r.report_on DESC, r.id DESC") \
    X(Q_PLAN_COMMENTS, "SELECT c.id, c.report_id, c.author, c.text, c.created_at " \
      "FROM plan_comments c JOIN plan_reports r ON r.id = c.report_id " \
      "JOIN plan_tasks t ON t.id = r.task_id WHERE t.plan_id = ?1 " \
      "AND (?2 IS NULL OR t.agency = ?2) AND (?3 IS NULL OR t.id = ?3) ORDER BY c.id") \
    X(Q_PLAN_REPORT_INSERT, "INSERT INTO plan_reports(task_id, agency, report_on, text, " \
      "articles, broadcast_minutes, conferences, participants, evidence, done, author, " \
      "created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)") \
    X(Q_PLAN_REPORT_GET, "SELECT r.id, r.task_id, r.agency FROM plan_reports r " \
      "JOIN plan_tasks t ON t.id = r.task_id WHERE r.id = ?1 AND t.active = 1") \
    X(Q_PLAN_COMMENT_INSERT, "INSERT INTO plan_comments(report_id, author, text, created_at) " \
      "VALUES (?1, ?2, ?3, ?4)") \
    X(Q_PLAN_QUESTIONS, "SELECT q.category, q.source_document, q.tags FROM questions q " \
      "JOIN banks b ON b.id = q.bank_id WHERE q.voided = 0 AND b.version = " \
      "(SELECT max(b2.version) FROM banks b2 WHERE b2.bank_key = b.bank_key)") \
    /* boards, freeze and publication (quiz/board.c, http/api_console.c) */ \
    X(Q_ROUND_BOARD_INFO, "SELECT contest_id, perfect_count, settled_at, freeze_at, " \
      "published_at, closes_at, title, opens_at, published_by, rkey FROM rounds WHERE id = ?1") \
    X(Q_ROUND_TOTAL, "SELECT coalesce(sum(n), 0) FROM round_totals WHERE round_id = ?1 " \
      "AND (?2 = 0 OR track = ?2)") \
    X(Q_ROUND_TOTALS_ADJUST, "UPDATE round_totals SET n = n + ?2 WHERE (round_id, track) IN " \
      "(SELECT round_id, track FROM results WHERE participant_id = ?1)") \
    X(Q_CONTEST_FROZEN_ROUNDS, "SELECT group_concat(id || ':' || freeze_at, ',') FROM rounds " \
      "WHERE contest_id = ?1 AND freeze_at IS NOT NULL AND published_at IS NULL " \
      "AND freeze_at <= ?2") \
    X(Q_PERSON_BOARD, "SELECT p.full_name, u.name, p.track FROM participants p " \
      "JOIN units u ON u.id = p.unit_id WHERE p.id = ?1") \
    X(Q_CONTEST_PUBLICATION, "SELECT published_at, published_by FROM contests WHERE id = ?1") \
    X(Q_UNIT_TABLE, "SELECT u.ukey, u.name, u.block, u.headcount, coalesce(a.participants, 0), " \
      "coalesce(a.finished, 0), CASE WHEN a.results_n > 0 THEN a.score_sum * 1.0 / a.results_n " \
      "END, u.id FROM units u LEFT JOIN unit_agg a ON a.unit_id = u.id WHERE u.contest_id = ?1 " \
      "ORDER BY u.position") \
    X(Q_ROUND_SET_FREEZE, "UPDATE rounds SET freeze_at = ?3 WHERE contest_id = ?1 AND rkey = ?2") \
    X(Q_ROUND_PUBLISH, "UPDATE rounds SET published_at = ?2, published_by = ?3 WHERE id = ?1") \
    X(Q_CONTEST_PUBLISH, "UPDATE contests SET published_at = ?2, published_by = ?3 WHERE id = ?1") \
    X(Q_ROUND_UNSETTLE, "UPDATE rounds SET settled_at = NULL, perfect_count = NULL, " \
      "published_at = NULL, published_by = NULL WHERE id = ?1") \
    /* the organiser's console: contests, people (contest/people.c) */ \
    X(Q_CONTEST_BANKS_OF, "SELECT b.id, b.bank_key, b.version, b.title FROM contest_banks cb " \
      "JOIN banks b ON b.id = cb.bank_id WHERE cb.contest_id = ?1 ORDER BY b.bank_key") \
    X(Q_ROUNDS_FULL, "SELECT id, rkey, title, opens_at, closes_at, duration_ms, " \
      "attempts_allowed, counting, shuffle_questions, shuffle_options, blueprint, " \
      "question_count, prediction_text, freeze_at, settled_at, published_at, perfect_count " \
      "FROM rounds WHERE contest_id = ?1 ORDER BY position") \
    X(Q_QUESTION_COUNTS, "SELECT q.category, coalesce(c.title, q.category), q.difficulty, " \
      "q.track, count(*) FROM questions q LEFT JOIN categories c ON c.bank_id = q.bank_id " \
      "AND c.cat_key = q.category WHERE q.bank_id = ?1 AND q.voided = 0 " \
      "GROUP BY q.category, q.difficulty, q.track ORDER BY q.category, q.difficulty, q.track") \
    X(Q_BANK_BY_ID, "SELECT id, bank_key, version, title FROM banks WHERE id = ?1") \
    X(Q_BANK_QUESTIONS, "SELECT q.id, q.qkey, q.category, q.difficulty, q.track, q.text, " \
      "q.options, q.correct_mask, q.multi, q.explanation, q.source_document, q.voided, q.line " \
      "FROM questions q WHERE q.bank_id = ?1 AND (?2 IS NULL OR q.category = ?2) " \
      "AND (?3 IS NULL OR q.text LIKE '%' || ?3 || '%' OR q.qkey = ?3 OR q.options LIKE " \
      "'%' || ?3 || '%') ORDER BY q.id LIMIT ?4 OFFSET ?5") \
    X(Q_USER_LIST, "SELECT id, username, role, created_at FROM users ORDER BY username") \
    X(Q_PEOPLE_SEARCH, "SELECT p.id, p.full_name, p.phone, p.cccd, p.email, u.name, p.track, " \
      "p.created_at, p.disqualified_at, p.disqualified_reason, p.erased_at FROM participants p " \
      "JOIN units u ON u.id = p.unit_id WHERE p.contest_id = ?1 AND (p.phone = ?2 OR " \
      "p.cccd = ?3 OR (?4 IS NOT NULL AND p.name_key LIKE '%' || ?4 || '%') OR p.id = ?5) " \
      "ORDER BY p.id LIMIT ?6") \
    X(Q_PERSON_GET, "SELECT p.id, p.contest_id, p.full_name, p.phone, p.cccd, p.email, u.ukey, " \
      "u.name, p.track, p.consent_text, p.consent_at, p.created_at, p.created_ip, " \
      "p.disqualified_at, p.disqualified_reason, p.erased_at, c.ckey, p.unit_id, u.block " \
      "FROM participants p JOIN units u ON u.id = p.unit_id JOIN contests c " \
      "ON c.id = p.contest_id WHERE p.id = ?1") \
    X(Q_PERSON_ATTEMPTS, "SELECT a.id, a.round_id, ro.title, a.attempt_no, a.status, " \
      "a.started_at, a.deadline_at, a.submitted_at, a.score, a.max_score, a.correct, a.total, " \
      "a.duration_ms, a.prediction, a.answers, a.saved_at, " \
      "(SELECT r.attempt_id FROM results r WHERE r.round_id = a.round_id " \
      "AND r.participant_id = a.participant_id) FROM attempts a JOIN rounds ro " \
      "ON ro.id = a.round_id WHERE a.participant_id = ?1 ORDER BY a.id") \
    X(Q_PERSON_RESULTS, "SELECT r.round_id, ro.title, r.score, r.max_score, r.correct, " \
      "r.total, r.submitted_at, r.prediction, r.prediction_error, r.attempt_id FROM results r " \
      "JOIN rounds ro ON ro.id = r.round_id WHERE r.participant_id = ?1 ORDER BY ro.position") \
    X(Q_PERSON_DISQUALIFY, "UPDATE participants SET disqualified_at = ?2, " \
      "disqualified_reason = ?3 WHERE id = ?1") \
    X(Q_PERSON_ERASE, "UPDATE participants SET full_name = ?2, name_key = ?3, " \
      "phone = 'erased:' || id, cccd = NULL, email = NULL, created_ip = NULL, erased_at = ?4 " \
      "WHERE id = ?1 AND erased_at IS NULL") \
    X(Q_PERSON_TOKENS_DELETE, "DELETE FROM participant_tokens WHERE participant_id = ?1") \
    X(Q_PERSON_CERTS, "SELECT number, round_id, issued_at, revoked_at FROM certificates " \
      "WHERE participant_id = ?1 ORDER BY id") \
    X(Q_PERSON_CERTS_DELETE, "DELETE FROM certificates WHERE participant_id = ?1") \
    X(Q_PERSON_UNPUBLISH_ROUNDS, "UPDATE rounds SET published_at = NULL, published_by = NULL " \
      "WHERE published_at IS NOT NULL AND id IN (SELECT round_id FROM results " \
      "WHERE participant_id = ?1) RETURNING id") \
    X(Q_PRIZE_LISTS_UNPUBLISH_ROUND, "UPDATE prize_lists SET published_at = NULL, " \
      "published_by = NULL WHERE round_id = ?1") \
    X(Q_CONTEST_UNPUBLISH, "UPDATE contests SET published_at = NULL, published_by = NULL " \
      "WHERE id = ?1 AND published_at IS NOT NULL") \
    X(Q_PRIZE_LISTS_UNPUBLISH_CONTEST, "UPDATE prize_lists SET published_at = NULL, " \
      "published_by = NULL WHERE contest_id = ?1 AND round_id = 0") \
    X(Q_UNIT_AGG_REFRESH, "UPDATE unit_agg SET participants = (SELECT count(*) FROM " \
      "participants p WHERE p.unit_id = ?1 AND p.disqualified_at IS NULL), finished = (SELECT " \
      "count(*) FROM participants p JOIN attempts a ON a.participant_id = p.id WHERE " \
      "p.unit_id = ?1 AND p.disqualified_at IS NULL AND a.status <> 0), score_sum = (SELECT " \
      "coalesce(sum(r.score), 0) FROM participants p JOIN results r ON r.participant_id = p.id " \
      "WHERE p.unit_id = ?1 AND p.disqualified_at IS NULL AND r.unit_id = ?1), results_n = " \
      "(SELECT count(*) FROM participants p JOIN results r ON r.participant_id = p.id WHERE " \
      "p.unit_id = ?1 AND p.disqualified_at IS NULL AND r.unit_id = ?1) WHERE unit_id = ?1") \
    X(Q_ATTEMPT_ADMIN, "SELECT a.id, a.round_id, a.participant_id, a.status, a.deadline_at, " \
      "a.submitted_at, ro.contest_id, ro.closes_at, a.started_at FROM attempts a " \
      "JOIN rounds ro ON ro.id = a.round_id WHERE a.id = ?1") \
    X(Q_ATTEMPT_EXTEND, "UPDATE attempts SET deadline_at = ?2 WHERE id = ?1 AND status = 0") \
    X(Q_ATTEMPT_REOPEN, "UPDATE attempts SET status = 0, deadline_at = ?2, submitted_at = NULL " \
      "WHERE id = ?1 AND status <> 0") \
    X(Q_ATTEMPT_OTHER_OPEN, "SELECT count(*) FROM attempts WHERE round_id = ?1 " \
      "AND participant_id = ?2 AND status = 0 AND id <> ?3") \
    X(Q_AUDIT_LIST, "SELECT id, at, actor, action, detail FROM audit_log WHERE id < ?1 " \
      "AND (?2 IS NULL OR action LIKE ?2 || '%') AND (?3 IS NULL OR actor = ?3) " \
      "ORDER BY id DESC LIMIT ?4") \
    /* question statistics (quiz/stats.c) */ \
    X(Q_STATS_ATTEMPTS, "SELECT a.items, a.answers, a.score, a.max_score FROM attempts a " \
      "WHERE a.round_id = ?1 AND a.status <> 0 AND a.participant_id NOT IN (SELECT p.id " \
      "FROM participants p WHERE p.contest_id = (SELECT contest_id FROM rounds WHERE id = ?1) " \
      "AND p.disqualified_at IS NOT NULL)") \
    X(Q_QUESTION_STAT_INFO, "SELECT q.qkey, q.text, q.options, q.category, q.difficulty, " \
      "q.track, q.bank_id, b.bank_key, b.version FROM questions q JOIN banks b " \
      "ON b.id = q.bank_id WHERE q.id = ?1") \
    /* exports (export/tables.c) */ \
    X(Q_EXPORT_UNITS, "SELECT coalesce(u.block, ''), u.name, u.headcount, " \
      "coalesce(a.participants, 0), coalesce(a.finished, 0), CASE WHEN a.results_n > 0 " \
      "THEN a.score_sum * 1.0 / a.results_n END FROM units u LEFT JOIN unit_agg a " \
      "ON a.unit_id = u.id WHERE u.contest_id = ?1 ORDER BY (SELECT min(b.position) FROM units b " \
      "WHERE b.contest_id = u.contest_id AND coalesce(b.block, '') = coalesce(u.block, '')), " \
      "u.position") \
    X(Q_EXPORT_DAYS, "SELECT d, sum(reg), sum(started), sum(finished), sum(people) FROM (" \
      "SELECT (created_at + 25200000) / 86400000 AS d, 1 AS reg, 0 AS started, 0 AS finished, " \
      "0 AS people FROM participants WHERE contest_id = ?1 UNION ALL " \
      "SELECT (a.started_at + 25200000) / 86400000, 0, 1, 0, 0 FROM attempts a " \
      "JOIN rounds ro ON ro.id = a.round_id WHERE ro.contest_id = ?1 UNION ALL " \
      "SELECT (a.submitted_at + 25200000) / 86400000, 0, 0, 1, 0 FROM attempts a " \
      "JOIN rounds ro ON ro.id = a.round_id WHERE ro.contest_id = ?1 AND a.status <> 0 " \
      "UNION ALL SELECT d2, 0, 0, 0, 1 FROM (SELECT DISTINCT (a.submitted_at + 25200000) " \
      "/ 86400000 AS d2, a.participant_id FROM attempts a JOIN rounds ro ON ro.id = a.round_id " \
      "WHERE ro.contest_id = ?1 AND a.status <> 0)) GROUP BY d ORDER BY d") \
    /* cchc-quiz bench-console-seed (benchmarks only) */ \
    X(Q_CONSOLE_SEED_ATTEMPT, "INSERT INTO attempts(round_id, participant_id, attempt_no, " \
      "status, started_at, deadline_at, items, answers, submitted_at, score, max_score, " \
      "correct, total, duration_ms, prediction) VALUES (?1, ?2, 1, 1, ?3, ?4, ?5, ?6, ?7, ?8, " \
      "?9, ?8, ?9, ?10, ?11)") \
    X(Q_CONSOLE_SEED_RESULT, "INSERT INTO results(round_id, participant_id, attempt_id, track, " \
      "unit_id, score, max_score, correct, total, duration_ms, submitted_at, prediction) " \
      "SELECT round_id, participant_id, id, ?2, ?3, score, max_score, correct, total, " \
      "duration_ms, submitted_at, prediction FROM attempts WHERE id = ?1") \
    /* prizes (quiz/prize.c) */ \
    X(Q_PRIZE_CONFIG_GET, "SELECT config, updated_at, updated_by FROM prize_config " \
      "WHERE contest_id = ?1") \
    X(Q_PRIZE_CONFIG_SET, "INSERT INTO prize_config(contest_id, config, updated_at, updated_by) " \
      "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(contest_id) DO UPDATE SET config = excluded.config, " \
      "updated_at = excluded.updated_at, updated_by = excluded.updated_by") \
    X(Q_PRIZE_LIST_GET, "SELECT id, contest_id, round_id, proposed_at, proposed_by, ties, " \
      "published_at, published_by FROM prize_lists WHERE contest_id = ?1 AND round_id = ?2") \
    X(Q_PRIZE_LIST_BY_ID, "SELECT id, contest_id, round_id, proposed_at, proposed_by, ties, " \
      "published_at, published_by FROM prize_lists WHERE id = ?1") \
    X(Q_PRIZE_LISTS_OF, "SELECT id FROM prize_lists WHERE contest_id = ?1 ORDER BY round_id = 0, " \
      "round_id") \
    X(Q_PRIZE_LIST_UPSERT, "INSERT INTO prize_lists(contest_id, round_id, proposed_at, " \
      "proposed_by, ties) VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(contest_id, round_id) DO " \
      "UPDATE SET proposed_at = excluded.proposed_at, proposed_by = excluded.proposed_by, " \
      "ties = excluded.ties RETURNING id") \
    X(Q_PRIZE_LIST_PUBLISH, "UPDATE prize_lists SET published_at = ?2, published_by = ?3 " \
      "WHERE id = ?1") \
    X(Q_PRIZE_ENTRIES_CLEAR, "DELETE FROM prize_entries WHERE list_id = ?1 AND status <> 2") \
    X(Q_PRIZE_STRUCK, "SELECT kind, participant_id, unit_id FROM prize_entries " \
      "WHERE list_id = ?1 AND status = 2") \
    X(Q_PRIZE_ENTRY_INSERT, "INSERT INTO prize_entries(list_id, kind, grp, tier, tier_name, " \
      "rank, participant_id, unit_id, detail, decided_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, " \
      "?8, ?9, ?10)") \
    X(Q_PRIZE_ENTRIES, "SELECT e.id, e.kind, e.grp, e.tier, e.tier_name, e.rank, " \
      "e.participant_id, e.unit_id, e.detail, e.decided_by, e.status, e.reason, e.reviewed_by, " \
      "e.reviewed_at, p.full_name, coalesce(u.name, pu.name), p.phone, p.cccd, " \
      "coalesce(u.block, pu.block) FROM prize_entries e LEFT JOIN participants p " \
      "ON p.id = e.participant_id LEFT JOIN units pu ON pu.id = p.unit_id LEFT JOIN units u " \
      "ON u.id = e.unit_id WHERE e.list_id = ?1 ORDER BY e.kind DESC, e.grp, e.tier, e.rank") \
    X(Q_PRIZE_ENTRY_GET, "SELECT e.id, e.list_id, e.status, l.published_at, e.participant_id, " \
      "e.unit_id, e.tier_name, e.reason FROM prize_entries e JOIN prize_lists l " \
      "ON l.id = e.list_id WHERE e.id = ?1") \
    X(Q_PRIZE_ENTRY_REVIEW, "UPDATE prize_entries SET status = ?2, reason = ?3, " \
      "reviewed_by = ?4, reviewed_at = ?5 WHERE id = ?1") \
    X(Q_UNIT_NAME, "SELECT name, block FROM units WHERE id = ?1") \
    X(Q_CONTEST_UNSETTLED_ROUNDS, "SELECT count(*) FROM rounds WHERE contest_id = ?1 " \
      "AND settled_at IS NULL") \
    X(Q_PRIZE_PENDING, "SELECT count(*) FROM prize_entries WHERE list_id = ?1 AND status = 0") \
    /* certificates (cert/store.c) */ \
    X(Q_CERT_ATTEMPT, "SELECT round_id, participant_id, status FROM attempts WHERE id = ?1") \
    X(Q_CERT_RESULT, "SELECT res.attempt_id, res.score, res.max_score, p.full_name, u.name, " \
      "c.title, r.title, c.id FROM results res JOIN participants p ON p.id = res.participant_id " \
      "JOIN units u ON u.id = p.unit_id JOIN rounds r ON r.id = res.round_id " \
      "JOIN contests c ON c.id = r.contest_id WHERE res.round_id = ?1 AND res.participant_id = ?2") \
    X(Q_CERT_LATEST, "SELECT " CERT_COLS " FROM certificates ct JOIN rounds r ON r.id = ct.round_id " \
      "JOIN contests c ON c.id = r.contest_id WHERE ct.participant_id = ?1 AND ct.round_id = ?2 " \
      "ORDER BY ct.id DESC LIMIT 1") \
    X(Q_CERT_BY_NUMBER, "SELECT " CERT_COLS " FROM certificates ct " \
      "JOIN rounds r ON r.id = ct.round_id JOIN contests c ON c.id = r.contest_id " \
      "WHERE ct.number = ?1") \
    X(Q_CERT_BY_ID, "SELECT " CERT_COLS " FROM certificates ct " \
      "JOIN rounds r ON r.id = ct.round_id JOIN contests c ON c.id = r.contest_id " \
      "WHERE ct.id = ?1") \
    X(Q_CERT_NUMBER_USED, "SELECT 1 FROM certificates WHERE number = ?1") \
    X(Q_CERT_INSERT, "INSERT INTO certificates(number, participant_id, round_id, attempt_id, " \
      "fields, signature, key_id, issued_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)") \
    X(Q_CERT_REVOKE, "UPDATE certificates SET revoked_at = ?2, revoke_reason = ?3, " \
      "revoked_by = ?4 WHERE id = ?1 AND revoked_at IS NULL") \
    X(Q_CERT_RESULTS_OF, "SELECT res.round_id, res.participant_id FROM results res " \
      "JOIN rounds r ON r.id = res.round_id WHERE (?1 = 0 OR res.round_id = ?1) " \
      "AND (?2 = 0 OR r.contest_id = ?2)") \
    X(Q_CERT_LIST, "SELECT ct.id FROM certificates ct JOIN rounds r ON r.id = ct.round_id " \
      "JOIN participants p ON p.id = ct.participant_id JOIN units u ON u.id = p.unit_id " \
      "WHERE ct.revoked_at IS NULL AND (?1 = 0 OR ct.round_id = ?1) " \
      "AND (?2 = 0 OR r.contest_id = ?2) ORDER BY r.position, u.position, p.name_key, ct.id")

typedef enum {
#define DB_QUERY_ENUM(name, sql) name,
    DB_QUERIES(DB_QUERY_ENUM)
#undef DB_QUERY_ENUM
    Q_COUNT
} db_query;

extern const char *const db_query_sql[Q_COUNT];

#endif
