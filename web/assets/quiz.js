/* Timed quiz (quiz.html?attempt=ID): countdown from the server's clock, autosave,
 * offline banner and retry, resume after reload, submit with confirmation,
 * auto-submit at 0. */
(function () {
  'use strict';
  const C = window.CCHC;
  const { el, $, clear, api, showMsg } = C;

  const SAVE_DEBOUNCE_MS = 800;
  const SAVE_INTERVAL_MS = 15000;
  const RETRY_MS = 5000;
  const OFFLINE_TEXT = 'Mất kết nối — câu trả lời sẽ được lưu khi có mạng trở lại';

  const attemptId = C.param('attempt');
  const draftKey = 'cchc.draft.' + attemptId;

  let token = null;
  let contestId = null;
  let questions = [];
  let hasPrediction = false;
  const answers = {};        // question id (string) -> index | [indices] | null
  let prediction = null;     // integer or null
  const dirty = new Set();   // question ids changed since the last successful save
  let predDirty = false;
  let saving = false;
  let finalising = false;
  let deadlineMs = 0;
  let clockOffset = 0;       // server_time_ms - Date.now() at response time
  let debounceTimer = null;
  let retryTimer = null;
  let tickTimer = null;
  let intervalTimer = null;
  let announced = {};

  function resultUrl() { return 'result.html?attempt=' + encodeURIComponent(attemptId); }
  function serverNow() { return Date.now() + clockOffset; }
  function remainingMs() { return deadlineMs - serverNow(); }

  /* ---------- status display ---------- */

  function setStatus(kind) {
    const box = $('#save-status');
    const text = {
      saved: 'Đã lưu',
      saving: 'Đang lưu…',
      pending: 'Chưa lưu',
      failed: 'Chưa lưu được',
      submitting: 'Đang nộp bài…',
      none: '',
    }[kind];
    box.textContent = text === undefined ? kind : text;
    box.className = 'save-status ' + kind;
    box.dataset.state = kind;
  }

  function showBanner(text, kind) {
    const b = $('#banner');
    if (!text) { b.classList.add('hidden'); clear(b); return; }
    b.className = 'banner msg ' + (kind || 'warn');
    b.setAttribute('role', 'alert');
    b.textContent = text;
  }

  function isAnswered(v) {
    return v !== null && v !== undefined && !(Array.isArray(v) && v.length === 0);
  }

  function updateProgress() {
    const total = questions.length;
    const done = questions.filter((q) => isAnswered(answers[String(q.id)])).length;
    $('#progress-text').textContent = 'Đã trả lời ' + done + '/' + total;
    $('#progress-bar').style.width = (total ? (100 * done / total) : 0) + '%';
    return { done, total };
  }

  /* ---------- local draft (survives a reload while unsaved) ---------- */

  function saveDraft() {
    try {
      const d = { answers: {} };
      dirty.forEach((id) => { d.answers[id] = answers[id] === undefined ? null : answers[id]; });
      if (predDirty) d.prediction = prediction;
      if (!dirty.size && !predDirty) localStorage.removeItem(draftKey);
      else localStorage.setItem(draftKey, JSON.stringify(d));
    } catch (e) { /* storage full or disabled: the server copy is enough */ }
  }

  function loadDraft() {
    try {
      const d = JSON.parse(localStorage.getItem(draftKey) || 'null');
      return d && typeof d === 'object' ? d : null;
    } catch (e) { return null; }
  }

  function clearDraft() {
    try { localStorage.removeItem(draftKey); } catch (e) { /* ignore */ }
  }

  /* ---------- rendering ---------- */

  const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

  function renderQuestions() {
    const box = clear($('#questions'));
    const total = questions.length;
    questions.forEach((q, i) => {
      const qid = String(q.id);
      const legendId = 'q-' + qid + '-legend';
      const fs = el('fieldset', { class: 'question', id: 'q-' + qid, 'data-qid': qid, 'aria-labelledby': legendId });
      fs.appendChild(el('legend', { id: legendId },
        el('span', { class: 'q-num' }, 'Câu ' + (i + 1) + '/' + total + '. '),
        el('span', { style: 'white-space:pre-line' }, q.text),
        q.multi ? el('span', { class: 'q-kind' }, '(Chọn một hoặc nhiều đáp án)') : null));
      (q.options || []).forEach((opt, j) => {
        const id = 'q-' + qid + '-o' + j;
        const input = el('input', {
          type: q.multi ? 'checkbox' : 'radio', name: 'q-' + qid, id, value: String(j),
        });
        input.addEventListener('change', () => onAnswer(q));
        fs.appendChild(el('label', { class: 'option', for: id }, input,
          el('span', null, el('strong', null, LETTERS[j] + '. '), opt)));
      });
      box.appendChild(fs);
    });
  }

  function applyAnswers() {
    questions.forEach((q) => {
      const qid = String(q.id);
      const v = answers[qid];
      const chosen = Array.isArray(v) ? v.map(Number) : (isAnswered(v) ? [Number(v)] : []);
      document.querySelectorAll('input[name="q-' + CSS.escape(qid) + '"]').forEach((inp) => {
        inp.checked = chosen.includes(Number(inp.value));
      });
    });
    if (hasPrediction) $('#prediction').value = prediction === null || prediction === undefined ? '' : String(prediction);
  }

  /* ---------- answering and saving ---------- */

  function onAnswer(q) {
    if (finalising) return;
    const qid = String(q.id);
    const inputs = Array.from(document.querySelectorAll('input[name="q-' + CSS.escape(qid) + '"]'));
    if (q.multi) {
      const picked = inputs.filter((x) => x.checked).map((x) => Number(x.value)).sort((a, b) => a - b);
      answers[qid] = picked.length ? picked : null;
    } else {
      const x = inputs.find((i) => i.checked);
      answers[qid] = x ? Number(x.value) : null;
    }
    dirty.add(qid);
    changed();
  }

  function onPrediction() {
    if (finalising) return;
    const input = $('#prediction');
    const form = $('#quiz');
    C.clearFormErrors(form);
    const raw = input.value.trim();
    let v = null;
    if (raw !== '') {
      v = Number(raw);
      if (!Number.isInteger(v) || v < 0) {
        C.showFieldError(form, 'prediction', 'Vui lòng nhập một số nguyên không âm.');
        return;
      }
    }
    if (v === prediction) return;
    prediction = v;
    predDirty = true;
    changed();
  }

  function changed() {
    saveDraft();
    updateProgress();
    setStatus('pending');
    scheduleSave(SAVE_DEBOUNCE_MS);
  }

  function scheduleSave(ms) {
    if (debounceTimer) clearTimeout(debounceTimer);
    debounceTimer = setTimeout(() => { debounceTimer = null; save(); }, ms);
  }

  async function save() {
    if (finalising) return;
    if (saving) return; // the running save reschedules itself if more changes arrived
    if (!dirty.size && !predDirty) return;
    if (retryTimer) { clearTimeout(retryTimer); retryTimer = null; }
    const ids = Array.from(dirty);
    const pd = predDirty;
    const body = { answers: {} };
    ids.forEach((id) => { body.answers[id] = isAnswered(answers[id]) ? answers[id] : null; });
    if (pd) body.prediction = prediction;
    dirty.clear();
    predDirty = false;
    saving = true;
    setStatus('saving');
    try {
      await api('PUT', '/api/attempts/' + encodeURIComponent(attemptId) + '/answers', { token, body });
      saving = false;
      if (finalising) return;
      showBanner('');
      saveDraft();
      if (dirty.size || predDirty) {
        setStatus('pending');
        scheduleSave(SAVE_DEBOUNCE_MS);
      } else {
        setStatus('saved');
      }
    } catch (e) {
      saving = false;
      ids.forEach((id) => dirty.add(id));
      if (pd) predDirty = true;
      saveDraft();
      if (finalising) return;
      if (e.code === 'late') {
        // The deadline has passed: the server finalises with the saved answers.
        finish();
        return;
      }
      setStatus('failed');
      if (e.status === 0 || e.status >= 500 || e.status === 429) {
        showBanner(OFFLINE_TEXT, 'warn');
        retryTimer = setTimeout(() => { retryTimer = null; save(); }, e.retryAfter ? e.retryAfter * 1000 : RETRY_MS);
      } else {
        showBanner(e.message, 'error');
      }
    }
  }

  /** Send unsaved answers when the page is being hidden or closed. */
  function flushOnHide() {
    if (finalising || (!dirty.size && !predDirty)) return;
    const body = { answers: {} };
    dirty.forEach((id) => { body.answers[id] = isAnswered(answers[id]) ? answers[id] : null; });
    if (predDirty) body.prediction = prediction;
    try {
      fetch('/api/attempts/' + encodeURIComponent(attemptId) + '/answers', {
        method: 'PUT',
        keepalive: true,
        headers: { 'Content-Type': 'application/json; charset=utf-8', Authorization: 'Bearer ' + token },
        body: JSON.stringify(body),
      }).catch(() => {});
    } catch (e) { /* the local draft still has them */ }
  }

  /* ---------- countdown ---------- */

  function tick() {
    const ms = remainingMs();
    const t = $('#timer');
    t.textContent = C.fmtClock(ms);
    t.classList.toggle('low', ms <= 60000);
    t.dataset.remainingMs = String(Math.max(0, Math.round(ms)));
    for (const mark of [300000, 60000]) {
      if (ms <= mark && ms > mark - 5000 && !announced[mark]) {
        announced[mark] = true;
        $('#announce').textContent = 'Còn ' + (mark / 60000) + ' phút làm bài.';
      }
    }
    if (ms <= 0) autoSubmit();
  }

  /* ---------- submitting ---------- */

  function fullBody() {
    const body = { answers: {} };
    questions.forEach((q) => {
      const id = String(q.id);
      body.answers[id] = isAnswered(answers[id]) ? answers[id] : null;
    });
    if (hasPrediction && prediction !== null) body.prediction = prediction;
    return body;
  }

  function lockInputs() {
    $('#quiz').querySelectorAll('input, button').forEach((x) => { x.disabled = true; });
  }

  function unlockInputs() {
    $('#quiz').querySelectorAll('input, button').forEach((x) => { x.disabled = false; });
  }

  function stopTimers() {
    [debounceTimer, retryTimer].forEach((t) => t && clearTimeout(t));
    debounceTimer = retryTimer = null;
    if (intervalTimer) clearInterval(intervalTimer);
    intervalTimer = null;
  }

  function finish() {
    finalising = true;
    stopTimers();
    if (tickTimer) clearInterval(tickTimer);
    clearDraft();
    location.replace(resultUrl());
  }

  async function submit(auto) {
    if (finalising) return;
    finalising = true;
    stopTimers();
    lockInputs();
    setStatus('submitting');
    if (auto) showBanner('Đã hết giờ làm bài. Bài của bạn đang được nộp tự động…', 'info');
    try {
      await api('POST', '/api/attempts/' + encodeURIComponent(attemptId) + '/submit', { token, body: fullBody() });
      finish();
    } catch (e) {
      if (e.code === 'late' || (e.body && e.body.result)) {
        finish();
        return;
      }
      if (auto) {
        // Keep trying: the server also finalises the attempt by itself.
        showBanner(e.status === 0 ? OFFLINE_TEXT : e.message, 'warn');
        setTimeout(() => { finalising = false; submit(true); }, RETRY_MS);
        return;
      }
      finalising = false;
      unlockInputs();
      setStatus(dirty.size || predDirty ? 'failed' : 'saved');
      showMsg($('#submit-msg'), e.status === 0 ? 'Không nộp được bài vì mất kết nối. Vui lòng thử lại khi có mạng.' : e.message, 'error');
      if (!intervalTimer) intervalTimer = setInterval(periodicSave, SAVE_INTERVAL_MS);
    }
  }

  let autoStarted = false;
  function autoSubmit() {
    if (autoStarted) return;
    autoStarted = true;
    const dlg = $('#confirm');
    if (dlg.open) dlg.close();
    submit(true);
  }

  function askSubmit(ev) {
    ev.preventDefault();
    if (finalising) return;
    const { done, total } = updateProgress();
    const body = clear($('#confirm-body'));
    body.appendChild(el('p', null, 'Bạn đã trả lời ' + done + '/' + total + ' câu hỏi.'));
    if (done < total) body.appendChild(el('p', { class: 'msg warn' }, 'Còn ' + (total - done) + ' câu chưa trả lời.'));
    if (hasPrediction && prediction === null) body.appendChild(el('p', { class: 'msg warn' }, 'Bạn chưa trả lời câu hỏi dự đoán.'));
    body.appendChild(el('p', null, 'Sau khi nộp, bạn không thể sửa câu trả lời.'));
    const dlg = $('#confirm');
    if (typeof dlg.showModal === 'function') {
      dlg.showModal();
      $('#confirm-no').focus();
    } else if (window.confirm('Nộp bài? Bạn đã trả lời ' + done + '/' + total + ' câu.')) {
      submit(false);
    }
  }

  function periodicSave() {
    if (dirty.size || predDirty) save();
  }

  /* ---------- start ---------- */

  async function init() {
    if (!attemptId) {
      $('#loading').remove();
      showMsg($('#msg'), 'Thiếu mã bài thi trong đường dẫn.', 'error');
      return;
    }
    let loaded;
    try {
      loaded = await C.loadAttempt(attemptId);
    } catch (e) {
      $('#loading').remove();
      showMsg($('#msg'), e.message, 'error');
      const cid = C.attemptContest(attemptId);
      $('#msg').appendChild(el('p', { style: 'margin:8px 0 0' },
        el('a', { href: cid ? 'contest.html?id=' + encodeURIComponent(cid) : './' }, 'Về trang cuộc thi')));
      return;
    }
    const a = loaded.attempt;
    if (typeof a.server_time_ms === 'number') clockOffset = a.server_time_ms - Date.now();
    token = loaded.token;
    contestId = loaded.contestId;
    if (a.status && a.status !== 'open') {
      clearDraft();
      location.replace(resultUrl());
      return;
    }
    deadlineMs = typeof a.deadline_ms === 'number' ? a.deadline_ms
      : (typeof a.remaining_ms === 'number' ? serverNow() + a.remaining_ms : Date.parse(a.deadline));
    questions = a.questions || [];
    hasPrediction = a.prediction_question !== null && a.prediction_question !== undefined && a.prediction_question !== '';
    Object.entries(a.answers || {}).forEach(([k, v]) => { answers[String(k)] = v; });
    prediction = a.prediction === undefined ? null : a.prediction;

    // Changes made here but not yet saved before a reload.
    const draft = loadDraft();
    if (draft) {
      Object.entries(draft.answers || {}).forEach(([k, v]) => {
        if (questions.some((q) => String(q.id) === k)) { answers[k] = v; dirty.add(k); }
      });
      if ('prediction' in draft && hasPrediction) { prediction = draft.prediction; predDirty = true; }
    }

    renderQuestions();
    if (hasPrediction) {
      $('#prediction-text').textContent = a.prediction_question;
      $('#prediction-box').classList.remove('hidden');
      $('#prediction').addEventListener('input', onPrediction);
      $('#prediction').addEventListener('change', onPrediction);
    } else {
      $('#prediction-box').remove();
    }
    applyAnswers();
    updateProgress();
    setStatus(dirty.size || predDirty ? 'pending' : (Object.keys(answers).length || prediction !== null ? 'saved' : 'none'));

    $('#loading').remove();
    $('#bar').classList.remove('hidden');
    $('#quiz').classList.remove('hidden');
    $('#quiz').addEventListener('submit', askSubmit);
    $('#confirm-yes').addEventListener('click', () => { $('#confirm').close(); submit(false); });
    $('#confirm-no').addEventListener('click', () => $('#confirm').close());

    window.addEventListener('offline', () => showBanner(OFFLINE_TEXT, 'warn'));
    window.addEventListener('online', () => {
      if (dirty.size || predDirty) save();
      else showBanner('');
    });
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') flushOnHide();
      else tick();
    });
    window.addEventListener('pagehide', flushOnHide);
    if (navigator.onLine === false) showBanner(OFFLINE_TEXT, 'warn');

    tick();
    tickTimer = setInterval(tick, 250);
    intervalTimer = setInterval(periodicSave, SAVE_INTERVAL_MS);
    if (dirty.size || predDirty) scheduleSave(200);

    loadTitles(a.round_id);
  }

  /** Round and contest titles for the heading (not needed to answer). */
  async function loadTitles(roundId) {
    if (!contestId) return;
    try {
      const c = await api('GET', '/api/contests/' + encodeURIComponent(contestId));
      const r = (c.rounds || []).find((x) => String(x.id) === String(roundId));
      $('#quiz-title').textContent = c.title;
      if (r) {
        $('#round-title').textContent = r.title;
        document.title = r.title + ' — ' + c.title;
      }
    } catch (e) { /* headings only */ }
  }

  init();
})();
