/* Contest page (contest.html?id=CONTEST): rules, rounds, registration, own attempts. */
(function () {
  'use strict';
  const C = window.CCHC;
  const { el, $, clear, api, fmtTime, fmtDuration, fmtNum, roundBadge, showMsg, showFieldError, clearFormErrors } = C;

  const contestId = C.param('id');
  let contest = null;
  let me = null;
  let clockOffset = 0; // server time - local time, ms

  function serverNow() { return Date.now() + clockOffset; }

  function trackLabel(id) {
    const t = ((contest && contest.tracks) || []).find((x) => x.id === id);
    return t ? t.label : id;
  }

  function roundById(id) {
    return ((contest && contest.rounds) || []).find((r) => String(r.id) === String(id));
  }

  /* ---------- loading ---------- */

  async function init() {
    if (!contestId) {
      $('#loading').remove();
      showMsg($('#msg'), 'Thiếu mã cuộc thi trong đường dẫn. Vui lòng chọn cuộc thi từ danh sách.', 'error');
      return;
    }
    $('#lb-link').href = 'leaderboard.html?contest=' + encodeURIComponent(contestId);
    try {
      contest = await api('GET', '/api/contests/' + encodeURIComponent(contestId));
    } catch (e) {
      $('#loading').remove();
      showMsg($('#msg'), e.message, 'error');
      return;
    }
    if (typeof contest.server_time_ms === 'number') clockOffset = contest.server_time_ms - Date.now();
    document.title = contest.title + ' — Thi tìm hiểu CCHC';
    $('#title').textContent = contest.title;
    $('#organiser').textContent = contest.organiser ? 'Đơn vị tổ chức: ' + contest.organiser : '';
    C.append(clear($('#rules')), C.paragraphs(contest.rules || 'Chưa có thể lệ.'));
    buildRegistrationForm();
    $('#loading').remove();
    $('#contest').classList.remove('hidden');
    await loadMe();
  }

  async function loadMe() {
    const token = C.getToken(contestId);
    me = null;
    if (token) {
      try {
        const data = await api('GET', '/api/me', { token });
        if (!data.contest_id || String(data.contest_id) === String(contestId)) me = data;
      } catch (e) {
        if (e.status === 401 || e.status === 403) {
          C.clearToken(contestId);
          showMsg($('#msg'), 'Phiên dự thi trên thiết bị này đã hết hiệu lực. Vui lòng nhập lại thông tin ở mục “Tiếp tục trên thiết bị khác”.', 'warn');
        } else {
          showMsg($('#msg'), e.message, 'error');
        }
      }
    }
    render();
  }

  /* ---------- rendering ---------- */

  function attemptsInRound(roundId) {
    return ((me && me.attempts) || []).filter((a) => String(a.round_id) === String(roundId));
  }

  function openAttempt(roundId) {
    return attemptsInRound(roundId).find((a) => a.status === 'open' && (!a.deadline_ms || a.deadline_ms > serverNow()));
  }

  function render() {
    const registered = !!me;
    $('#me').classList.toggle('hidden', !registered);
    $('#register').classList.toggle('hidden', registered);
    $('#session').classList.toggle('hidden', registered);
    if (registered) renderMe();
    renderRounds();
  }

  function renderMe() {
    const info = clear($('#me-info'));
    const row = (label, value) => el('div', null, el('dt', null, label + ': '), el('dd', null, value));
    info.appendChild(row('Họ và tên', me.full_name || ''));
    info.appendChild(row('Đơn vị', (me.unit && me.unit.name) || ''));
    if (me.track) info.appendChild(row('Đối tượng', trackLabel(me.track)));

    const box = clear($('#attempts'));
    const attempts = me.attempts || [];
    if (!attempts.length) {
      box.appendChild(el('p', { class: 'muted' }, 'Bạn chưa làm bài thi nào. Chọn “Bắt đầu làm bài” ở vòng thi đang mở.'));
      return;
    }
    box.appendChild(el('h3', { style: 'margin-top:14px' }, 'Các lượt thi của bạn'));
    const ul = el('ul', { class: 'list' });
    attempts.forEach((a) => {
      const r = roundById(a.round_id);
      const final = a.status === 'submitted' || a.status === 'expired';
      const running = a.status === 'open' && (!a.deadline_ms || a.deadline_ms > serverNow());
      let action = null;
      if (running) {
        action = el('a', { class: 'btn', href: 'quiz.html?attempt=' + encodeURIComponent(a.attempt_id) }, 'Tiếp tục làm bài');
      } else {
        action = el('a', { class: 'btn secondary', href: 'result.html?attempt=' + encodeURIComponent(a.attempt_id) }, 'Xem kết quả');
      }
      ul.appendChild(el('li', null,
        el('div', { class: 'row-head' },
          el('strong', null, (r ? r.title : 'Vòng ' + a.round_id)),
          el('span', { class: 'badge ' + (a.status || '') }, C.ATTEMPT_STATUS[a.status] || a.status)),
        final && a.score !== null && a.score !== undefined
          ? el('p', { class: 'meta' }, 'Điểm: ' + fmtNum(a.score) + '/' + fmtNum(a.max_score))
          : null,
        running && a.deadline_ms ? el('p', { class: 'meta' }, 'Hạn nộp bài: ' + fmtTime(a.deadline_ms)) : null,
        el('div', { class: 'actions' }, action)));
      C.rememberAttempt(a.attempt_id, contestId);
    });
    box.appendChild(ul);
  }

  function renderRounds() {
    const ul = clear($('#rounds'));
    const rounds = contest.rounds || [];
    if (!rounds.length) {
      ul.appendChild(el('li', { class: 'muted' }, 'Chưa có vòng thi nào.'));
      return;
    }
    rounds.forEach((r) => {
      const meta = el('dl', { class: 'meta' },
        el('div', null, el('dt', null, 'Mở: '), el('dd', null, fmtTime(r.opens_at_ms || r.opens_at))),
        el('div', null, el('dt', null, 'Đóng: '), el('dd', null, fmtTime(r.closes_at_ms || r.closes_at))),
        r.duration_seconds ? el('div', null, el('dt', null, 'Thời gian làm bài: '), el('dd', null, fmtDuration(r.duration_seconds * 1000))) : null,
        r.question_count ? el('div', null, el('dt', null, 'Số câu hỏi: '), el('dd', null, String(r.question_count) + (r.prediction ? ' câu trắc nghiệm và 1 câu dự đoán' : ' câu'))) : null,
        r.attempts_allowed ? el('div', null, el('dt', null, 'Số lượt thi: '), el('dd', null, 'tối đa ' + r.attempts_allowed + ' lượt')) : null);
      const li = el('li', { id: 'round-' + r.id },
        el('div', { class: 'row-head' }, el('h3', { style: 'margin:0' }, r.title), roundBadge(r.status)),
        meta,
        r.prediction && r.prediction.text ? el('p', { class: 'meta' }, 'Câu hỏi dự đoán: ' + r.prediction.text) : null);
      if (me && r.status === 'open') {
        const used = attemptsInRound(r.id).length;
        const cont = openAttempt(r.id);
        const msg = el('div', { class: 'hidden' });
        let btn;
        if (cont) {
          btn = el('button', { type: 'button', class: 'block' }, 'Tiếp tục làm bài');
        } else if (r.attempts_allowed && used >= r.attempts_allowed) {
          btn = el('button', { type: 'button', class: 'block', disabled: true }, 'Bạn đã dùng hết lượt thi');
        } else {
          btn = el('button', { type: 'button', class: 'block' }, used ? 'Bắt đầu làm bài (lượt ' + (used + 1) + ')' : 'Bắt đầu làm bài');
        }
        btn.dataset.round = r.id;
        btn.classList.add('start-btn');
        btn.addEventListener('click', () => startRound(r, btn, msg));
        if (r.attempts_allowed && used) li.appendChild(el('p', { class: 'meta' }, 'Bạn đã làm ' + used + '/' + r.attempts_allowed + ' lượt.'));
        li.appendChild(msg);
        li.appendChild(el('div', { class: 'actions' }, btn));
      } else if (!me && r.status === 'open') {
        li.appendChild(el('p', { class: 'meta' }, el('a', { href: '#register' }, 'Đăng ký để làm bài')));
      }
      ul.appendChild(li);
    });
  }

  async function startRound(r, btn, msg) {
    const token = C.getToken(contestId);
    btn.disabled = true;
    const label = btn.textContent;
    btn.textContent = 'Đang mở bài thi…';
    try {
      const a = await api('POST', '/api/rounds/' + encodeURIComponent(r.id) + '/attempts', { token, body: {}, msg });
      C.rememberAttempt(a.attempt_id, contestId);
      location.href = 'quiz.html?attempt=' + encodeURIComponent(a.attempt_id);
    } catch (e) {
      btn.disabled = false;
      btn.textContent = label;
      if (e.status === 401) {
        C.clearToken(contestId);
        await loadMe();
      }
    }
  }

  /* ---------- registration ---------- */

  function setupOptional(boxId, mode, input) {
    const box = $(boxId);
    if (!mode || mode === 'off') {
      box.remove();
      return;
    }
    box.classList.remove('hidden');
    const req = mode === 'required';
    box.querySelector('.req').classList.toggle('hidden', !req);
    const opt = box.querySelector('.opt');
    if (opt) opt.classList.toggle('hidden', req);
    input.required = req;
  }

  function buildRegistrationForm() {
    const reg = contest.registration || {};
    setupOptional('#f-cccd', reg.cccd, $('#r-cccd'));
    setupOptional('#f-email', reg.email, $('#r-email'));
    if (reg.cccd === 'required') {
      $('#fs-cccd').classList.remove('hidden');
      $('#s-cccd').required = true;
    } else {
      $('#fs-cccd').remove();
    }

    // Units grouped by block.
    const sel = clear($('#r-unit'));
    sel.appendChild(el('option', { value: '' }, '— Chọn đơn vị công tác —'));
    const groups = new Map();
    (contest.units || []).forEach((u) => {
      const b = u.block || 'Khác';
      if (!groups.has(b)) groups.set(b, []);
      groups.get(b).push(u);
    });
    groups.forEach((units, block) => {
      const g = el('optgroup', { label: block });
      units.forEach((u) => g.appendChild(el('option', { value: u.id }, u.name)));
      sel.appendChild(g);
    });

    // Tracks as radio buttons.
    const tracks = contest.tracks || [];
    const tbox = clear($('#tracks'));
    tracks.forEach((t, i) => {
      const id = 'r-track-' + i;
      const input = el('input', { type: 'radio', name: 'track', id, value: t.id, required: true });
      if (tracks.length === 1) input.checked = true;
      tbox.appendChild(el('div', { class: 'check' }, input, el('label', { for: id }, t.label)));
    });
    if (!tracks.length) $('#f-track').remove();

    const consent = clear($('#consent-text'));
    // A <label> may hold only phrasing content: paragraphs become block spans.
    const text = reg.consent_text || 'Tôi đồng ý cho Ban tổ chức xử lý dữ liệu cá nhân đã khai để phục vụ cuộc thi.';
    C.paragraphs(text).forEach((p) => {
      const span = el('span', { style: 'display:block;margin:0 0 6px' });
      while (p.firstChild) span.appendChild(p.firstChild);
      consent.appendChild(span);
    });

    $('#reg-form').addEventListener('submit', onRegister);
    $('#ses-form').addEventListener('submit', onSession);
    $('#forget').addEventListener('click', () => {
      if (!window.confirm('Thoát khỏi thiết bị này? Bạn có thể tiếp tục lại bằng họ tên và số điện thoại đã đăng ký.')) return;
      C.clearToken(contestId);
      me = null;
      showMsg($('#msg'), '');
      render();
    });
  }

  function value(form, name) {
    const f = form.elements[name];
    if (!f) return undefined;
    if (f instanceof RadioNodeList) return f.value;
    if (f.type === 'checkbox') return f.checked;
    return f.value.trim();
  }

  function validateRegistration(form) {
    const reg = contest.registration || {};
    const phoneOk = (p) => /^[+\d][\d\s.\-]{7,18}$/.test(p) && p.replace(/\D/g, '').length >= 9;
    if (!value(form, 'full_name')) return ['full_name', 'Vui lòng nhập họ và tên.'];
    if (!value(form, 'unit_id')) return ['unit_id', 'Vui lòng chọn đơn vị.'];
    const phone = value(form, 'phone');
    if (!phone) return ['phone', 'Vui lòng nhập số điện thoại.'];
    if (!phoneOk(phone)) return ['phone', 'Số điện thoại không hợp lệ.'];
    const cccd = value(form, 'cccd');
    if (reg.cccd === 'required' && !cccd) return ['cccd', 'Vui lòng nhập số CCCD.'];
    if (cccd && !/^(\d{9}|\d{12})$/.test(cccd)) return ['cccd', 'Số CCCD gồm 12 chữ số (CMND 9 chữ số).'];
    const email = value(form, 'email');
    if (reg.email === 'required' && !email) return ['email', 'Vui lòng nhập email.'];
    if (email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) return ['email', 'Email không hợp lệ.'];
    if ((contest.tracks || []).length && !value(form, 'track')) return ['track', 'Vui lòng chọn đối tượng dự thi.'];
    if (!value(form, 'consent')) return ['consent', 'Bạn cần đồng ý với việc xử lý dữ liệu cá nhân để đăng ký dự thi.'];
    return null;
  }

  async function onRegister(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    const msg = $('#reg-msg');
    clearFormErrors(form);
    showMsg(msg, '');
    const bad = validateRegistration(form);
    if (bad) {
      showFieldError(form, bad[0], bad[1]);
      return;
    }
    const body = {
      full_name: value(form, 'full_name'),
      unit_id: value(form, 'unit_id'),
      phone: value(form, 'phone'),
      track: value(form, 'track') || undefined,
      consent: true,
    };
    const cccd = value(form, 'cccd');
    if (cccd) body.cccd = cccd;
    const email = value(form, 'email');
    if (email) body.email = email;
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      const res = await api('POST', '/api/contests/' + encodeURIComponent(contestId) + '/participants', { body, form, msg });
      C.setToken(contestId, res.token);
      form.reset();
      showMsg($('#msg'), 'Đăng ký thành công! Bạn có thể bắt đầu làm bài ở vòng thi đang mở.', 'ok');
      await loadMe();
      const first = document.querySelector('.start-btn:not([disabled])');
      (first || $('#me')).scrollIntoView({ block: 'center' });
      if (first) first.focus({ preventScroll: true });
    } catch (e) {
      if (e.code === 'duplicate') {
        // The message is at the field; offer a shortcut to the other form.
        clear(msg);
        msg.className = 'msg info';
        msg.appendChild(el('span', null, 'Nếu bạn đã đăng ký trước đây: '));
        msg.appendChild(el('a', { href: '#session', onclick: (ev2) => {
          ev2.preventDefault();
          $('#s-phone').value = value(form, 'phone') || '';
          $('#s-name').value = value(form, 'full_name') || '';
          $('#session').scrollIntoView({ block: 'start' });
          $('#s-name').focus({ preventScroll: true });
        } }, 'chuyển đến mục “Tiếp tục trên thiết bị khác”'));
      }
    } finally {
      btn.disabled = false;
    }
  }

  async function onSession(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    const msg = $('#ses-msg');
    clearFormErrors(form);
    showMsg(msg, '');
    if (!value(form, 'full_name')) { showFieldError(form, 'full_name', 'Vui lòng nhập họ và tên.'); return; }
    if (!value(form, 'phone')) { showFieldError(form, 'phone', 'Vui lòng nhập số điện thoại.'); return; }
    const body = { phone: value(form, 'phone'), full_name: value(form, 'full_name') };
    if (form.elements.cccd) {
      body.cccd = value(form, 'cccd');
      if (!body.cccd) { showFieldError(form, 'cccd', 'Vui lòng nhập số CCCD.'); return; }
    }
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      const res = await api('POST', '/api/contests/' + encodeURIComponent(contestId) + '/sessions', { body, form, msg });
      C.setToken(contestId, res.token);
      form.reset();
      showMsg($('#msg'), 'Đã xác nhận thông tin. Bạn có thể tiếp tục làm bài trên thiết bị này.', 'ok');
      await loadMe();
      $('#me').scrollIntoView({ block: 'start' });
    } catch (e) {
      if (e.status === 401) {
        showMsg(msg, e.message && e.body ? e.message : 'Không tìm thấy thông tin đăng ký khớp với họ tên và số điện thoại đã nhập.', 'error');
      }
    } finally {
      btn.disabled = false;
    }
  }

  init();
})();
