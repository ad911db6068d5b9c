/* The organiser's console (organiser.html): contest set-up (units, rounds,
 * blueprints against the banks' real counts), the banks' questions, people
 * (complaints: attempts, extend, reopen, disqualify, export, erase), staff
 * accounts and the audit log. */
(function () {
  'use strict';
  const C = window.CCHC;
  const K = window.CONSOLE;
  const { el, $, clear, showMsg, fmtTime, fmtNum } = C;
  const api = K.api;
  const msg = () => $('#msg');
  const DIFF = { any: 'Bất kỳ', easy: 'Dễ', medium: 'Trung bình', hard: 'Khó' };
  const TRACKS = { cbccvc: 'CBCCVC', citizen: 'Người dân' };
  const LETTERS = 'ABCDEFGH';

  let me = null;
  let banks = [];          // latest version of each bank: {key, version, title, questions}
  let counts = [];         // {category, title, difficulty, track, count}
  let doc = null;          // the contest being edited
  let meta = null;         // rounds' ids and states of a stored contest
  let isNew = true;

  /* ================= contest ================= */

  function blankContest() {
    const now = Date.now();
    return {
      format: 'cchc-contest/1', id: '', title: '', organiser: 'Sở Nội vụ', rules: '',
      banks: banks.length ? [{ id: banks[0].key }] : [], tracks: ['cbccvc', 'citizen'],
      registration: { cccd: 'optional', email: 'off' }, review: 'after_close',
      ranking: ['score_desc', 'prediction_error_asc', 'submitted_at_asc'], aggregate: 'best',
      grace_seconds: 10, points_per_question: 1, units: [],
      rounds: [{ id: 'tuan-1', title: 'Tuần thi thứ nhất', opens_at: new Date(now + 86400000).toISOString(),
        closes_at: new Date(now + 8 * 86400000).toISOString(), duration_seconds: 900, attempts: 1, counting: 'best',
        shuffle_questions: true, shuffle_options: true, blueprint: [],
        prediction: 'Dự đoán có bao nhiêu người trả lời đúng tất cả các câu hỏi của tuần thi này?' }],
    };
  }

  async function loadContestList(selectKey) {
    let data;
    try { data = await api('GET', '/api/admin/contests'); } catch (e) { showMsg(msg(), e.message, 'error'); return []; }
    const list = data.contests || [];
    for (const sel of [$('#contest-pick'), $('#p-contest')]) {
      clear(sel);
      for (const c of list) sel.appendChild(el('option', { value: c.id }, c.title + ' (' + c.id + ')'));
    }
    if (selectKey) $('#contest-pick').value = selectKey;
    return list;
  }

  async function loadBanks() {
    try {
      const data = await api('GET', '/api/admin/banks');
      const latest = new Map();
      for (const b of data.banks || []) {
        const cur = latest.get(b.bank_id);
        if (!cur || b.version > cur.version) latest.set(b.bank_id, { key: b.bank_id, version: b.version, title: b.title, questions: b.questions });
      }
      banks = Array.from(latest.values());
    } catch (e) { showMsg(msg(), e.message, 'error'); }
  }

  async function openContest(key) {
    try {
      const data = await api('GET', '/api/admin/contests/' + encodeURIComponent(key));
      doc = data.contest;
      meta = data.rounds;
      isNew = false;
      fillForm();
    } catch (e) { showMsg(msg(), e.message, 'error'); }
  }

  function fillForm() {
    const f = $('#contest-form');
    $('#c-id').value = doc.id;
    $('#c-id').readOnly = !isNew;
    $('#c-title').value = doc.title || '';
    $('#c-organiser').value = doc.organiser || '';
    $('#c-rules').value = doc.rules || '';
    f.querySelectorAll('input[name=track]').forEach((x) => { x.checked = (doc.tracks || ['cbccvc', 'citizen']).includes(x.value); });
    $('#c-cccd').value = (doc.registration && doc.registration.cccd) || 'optional';
    $('#c-email').value = (doc.registration && doc.registration.email) || 'off';
    $('#c-review').value = doc.review || 'after_close';
    const rk = (doc.ranking || []).join(',');
    if (![...$('#c-ranking').options].some((o) => o.value === rk) && rk) $('#c-ranking').appendChild(el('option', { value: rk }, rk));
    $('#c-ranking').value = rk || 'score_desc,prediction_error_asc,submitted_at_asc';
    $('#c-aggregate').value = doc.aggregate || 'best';
    $('#c-grace').value = doc.grace_seconds !== undefined ? doc.grace_seconds : 10;
    $('#c-points').value = doc.points_per_question || 1;
    renderBankChecks();
    $('#u-csv').value = unitsToCsv(doc.units || []);
    previewUnits();
    renderRounds();
    loadCounts();
    $('#json-out').classList.add('hidden');
    showMsg($('#save-msg'), '');
  }

  function renderBankChecks() {
    const box = clear($('#c-banks'));
    const chosen = new Map((doc.banks || []).map((b) => [b.id, b.version]));
    for (const b of banks) {
      const cb = el('input', { type: 'checkbox', name: 'bank', value: b.key, checked: chosen.has(b.key) });
      if (chosen.get(b.key)) cb.dataset.version = String(chosen.get(b.key));
      cb.addEventListener('change', loadCounts);
      box.appendChild(el('label', { class: 'check' }, cb, el('span', null, b.title + ' (' + b.key + ', phiên bản ' +
        (chosen.get(b.key) || b.version) + ', ' + fmtNum(b.questions) + ' câu)')));
    }
    for (const [key, v] of chosen) {
      if (!banks.some((b) => b.key === key)) box.appendChild(el('p', { class: 'field-error' }, 'Ngân hàng ' + key + (v ? ' phiên bản ' + v : '') + ' chưa có trong hệ thống.'));
    }
  }

  async function loadCounts() {
    const sel = Array.from(document.querySelectorAll('#c-banks input[name=bank]:checked'))
      .map((x) => x.value + (x.dataset.version ? '@' + x.dataset.version : ''));
    counts = [];
    if (sel.length) {
      try {
        const data = await api('GET', '/api/admin/question-counts?banks=' + encodeURIComponent(sel.join(',')));
        counts = data.counts;
      } catch (e) { showMsg(msg(), e.message, 'error'); }
    }
    document.querySelectorAll('.round-card').forEach((card) => refreshBlueprint(card));
  }

  /* ----- units: CSV in, preview out ----- */

  function csvSplit(line, sep) {
    const out = [];
    let cur = '', q = false;
    for (let i = 0; i < line.length; i++) {
      const ch = line[i];
      if (q) {
        if (ch === '"' && line[i + 1] === '"') { cur += '"'; i++; } else if (ch === '"') q = false; else cur += ch;
      } else if (ch === '"') q = true;
      else if (ch === sep) { out.push(cur); cur = ''; } else cur += ch;
    }
    out.push(cur);
    return out.map((s) => s.trim());
  }

  function slug(s) {
    return s.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').toLowerCase()
      .replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 64);
  }

  /** {units, errors} from the CSV text. */
  function parseUnits(text) {
    const units = [], errors = [], seen = new Set();
    const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
    lines.forEach((raw, i) => {
      if (!raw.trim()) return;
      const sep = raw.includes(';') && !raw.includes(',') ? ';' : (raw.split(';').length > raw.split(',').length ? ';' : ',');
      const [id0, name, block, head] = csvSplit(raw, sep);
      if (i === 0 && /^(mã|ma|id)(\s|$)/i.test(id0.trim())) return;
      const id = /^[a-z0-9._-]{1,64}$/.test(id0) ? id0 : slug(id0 || name || '');
      if (!name) { errors.push('Dòng ' + (i + 1) + ': thiếu tên đơn vị'); return; }
      if (!id) { errors.push('Dòng ' + (i + 1) + ': thiếu mã đơn vị'); return; }
      if (seen.has(id)) { errors.push('Dòng ' + (i + 1) + ': mã "' + id + '" bị trùng'); return; }
      seen.add(id);
      const u = { id, name };
      if (block) u.block = block;
      if (head) {
        const n = Number(String(head).replace(/[.\s]/g, ''));
        if (!Number.isInteger(n) || n < 1) { errors.push('Dòng ' + (i + 1) + ': biên chế "' + head + '" không phải số nguyên dương'); return; }
        u.headcount = n;
      }
      units.push(u);
    });
    return { units, errors };
  }

  function unitsToCsv(units) {
    const q = (s) => (/[",;\n]/.test(s) ? '"' + String(s).replace(/"/g, '""') + '"' : s);
    return ['mã,tên đơn vị,khối,biên chế'].concat(units.map((u) => [u.id, u.name, u.block || '', u.headcount || ''].map((x) => q(String(x))).join(','))).join('\n');
  }

  function previewUnits() {
    const { units, errors } = parseUnits($('#u-csv').value);
    const box = clear($('#u-preview'));
    if (errors.length) box.appendChild(el('div', { class: 'msg error', role: 'alert' }, errors.slice(0, 10).join('; ')));
    const blocks = new Map();
    for (const u of units) blocks.set(u.block || '(không khối)', (blocks.get(u.block || '(không khối)') || 0) + 1);
    box.appendChild(el('p', { class: 'small', id: 'u-count' }, fmtNum(units.length) + ' đơn vị, ' + blocks.size + ' khối: ' +
      Array.from(blocks, ([b, n]) => b + ' (' + n + ')').join(', ')));
    box.appendChild(K.table([
      { label: 'Mã', cell: (u) => u.id }, { label: 'Tên đơn vị', cell: (u) => u.name },
      { label: 'Khối', cell: (u) => u.block || '' }, { label: 'Biên chế', num: true, cell: (u) => (u.headcount ? fmtNum(u.headcount) : '—') },
    ], units.slice(0, 200)));
    return { units, errors };
  }

  /* ----- rounds and blueprints ----- */

  function renderRounds() {
    const box = clear($('#rounds'));
    (doc.rounds || []).forEach((r, i) => box.appendChild(roundCard(r, i)));
  }

  function field(label, input, hint) {
    return el('div', { class: 'field' }, el('label', { for: input.id }, label), input, hint ? el('div', { class: 'hint' }, hint) : null);
  }

  let uid = 0;
  function roundCard(r, i) {
    const n = ++uid;
    const m = meta && meta.find((x) => x.key === r.id);
    const inp = (name, type, value, attrs) => el('input', Object.assign({ id: 'r' + n + '-' + name, name, type, value: value === undefined || value === null ? '' : String(value) }, attrs || {}));
    const card = el('div', { class: 'card round-card', dataset: { n: String(n) } });
    const remove = el('button', { type: 'button', class: 'danger small' }, 'Bỏ vòng này');
    remove.addEventListener('click', () => { card.remove(); });
    card.appendChild(el('div', { class: 'row-head' }, el('h3', null, 'Vòng ' + (i + 1) + (m ? ' · mã số ' + m.id : '')),
      m ? el('span', { class: 'badge ' + m.status }, C.ROUND_STATUS[m.status] || m.status) : null, m ? null : remove));
    const counting = el('select', { id: 'r' + n + '-counting', name: 'counting' },
      el('option', { value: 'best' }, 'Lượt cao điểm nhất'), el('option', { value: 'last' }, 'Lượt cuối cùng'));
    counting.value = r.counting || 'best';
    card.appendChild(el('div', { class: 'grid3' },
      field('Mã vòng', inp('id', 'text', r.id, { maxlength: '64', readonly: m ? true : null })),
      field('Tên vòng', inp('title', 'text', r.title, { maxlength: '300' })),
      field('Mở lúc (giờ Việt Nam)', inp('opens_at', 'datetime-local', K.toVnInput(r.opens_at))),
      field('Đóng lúc (giờ Việt Nam)', inp('closes_at', 'datetime-local', K.toVnInput(r.closes_at))),
      field('Đóng băng bảng công khai từ', inp('freeze_at', 'datetime-local', K.toVnInput(r.freeze_at)), 'Để trống: không đóng băng.'),
      field('Thời gian làm bài (phút)', inp('minutes', 'number', Math.round((r.duration_seconds || 900) / 60), { min: '1', max: '1440' })),
      field('Số lượt thi mỗi người', inp('attempts', 'number', r.attempts || 1, { min: '1', max: '100' })),
      field('Lượt được tính', counting)));
    card.appendChild(el('div', { class: 'inline-checks' },
      el('label', { class: 'check' }, inp('shuffle_questions', 'checkbox', '', { checked: r.shuffle_questions !== false }), el('span', null, 'Trộn thứ tự câu hỏi')),
      el('label', { class: 'check' }, inp('shuffle_options', 'checkbox', '', { checked: r.shuffle_options !== false }), el('span', null, 'Trộn thứ tự phương án'))));
    card.appendChild(field('Câu hỏi dự đoán', inp('prediction', 'text', r.prediction || '', { maxlength: '500' }), 'Để trống nếu vòng này không có câu dự đoán.'));
    const bpBody = el('tbody');
    const add = el('button', { type: 'button', class: 'secondary small' }, 'Thêm dòng');
    add.addEventListener('click', () => { bpBody.appendChild(slotRow(card, { category: '', difficulty: 'any', count: 1 })); refreshBlueprint(card); });
    card.appendChild(el('h4', null, 'Cơ cấu đề'));
    card.appendChild(el('div', { class: 'table-wrap' }, el('table', { class: 'blueprint' },
      el('thead', null, el('tr', null, el('th', null, 'Nhóm câu hỏi'), el('th', null, 'Độ khó'), el('th', { class: 'num' }, 'Số câu'),
        el('th', null, 'Có sẵn trong ngân hàng'), el('th', null, ''))), bpBody)));
    card.appendChild(el('div', { class: 'row-head' }, add, el('span', { class: 'bp-total small' })));
    for (const s of r.blueprint || []) bpBody.appendChild(slotRow(card, s));
    return card;
  }

  function slotRow(card, s) {
    const cat = el('select', { class: 'bp-cat', 'aria-label': 'Nhóm câu hỏi' });
    cat.dataset.value = s.category || '';
    const diff = el('select', { class: 'bp-diff', 'aria-label': 'Độ khó' }, Object.entries(DIFF).map(([v, l]) => el('option', { value: v }, l)));
    diff.value = s.difficulty || 'any';
    const cnt = el('input', { type: 'number', class: 'bp-count', min: '1', max: '200', value: String(s.count || 1), 'aria-label': 'Số câu' });
    const avail = el('span', { class: 'avail' });
    const del = el('button', { type: 'button', class: 'link small' }, 'Bỏ');
    const tr = el('tr', null, el('td', null, cat), el('td', null, diff), el('td', { class: 'num' }, cnt), el('td', null, avail), el('td', null, del));
    del.addEventListener('click', () => { tr.remove(); refreshBlueprint(card); });
    for (const x of [cat, diff, cnt]) x.addEventListener('change', () => { cat.dataset.value = cat.value; refreshBlueprint(card); });
    cnt.addEventListener('input', () => refreshBlueprint(card));
    return tr;
  }

  function enabledTracks() {
    return Array.from(document.querySelectorAll('#c-tracks input:checked')).map((x) => x.value);
  }

  /** Questions available for a blueprint line on track t. */
  function available(category, difficulty, t) {
    return counts.filter((c) => c.category === category && (difficulty === 'any' || c.difficulty === difficulty) &&
      (c.track === 'both' || c.track === t)).reduce((n, c) => n + c.count, 0);
  }

  function refreshBlueprint(card) {
    const cats = new Map();
    for (const c of counts) cats.set(c.category, c.title || c.category);
    let total = 0, short = 0;
    card.querySelectorAll('tbody tr').forEach((tr) => {
      const cat = tr.querySelector('.bp-cat');
      const want = cat.dataset.value;
      clear(cat);
      cat.appendChild(el('option', { value: '' }, '— chọn nhóm —'));
      for (const [k, t] of cats) cat.appendChild(el('option', { value: k }, t + ' (' + k + ')'));
      if (want && !cats.has(want)) cat.appendChild(el('option', { value: want }, want + ' (không có trong ngân hàng đã chọn)'));
      cat.value = want;
      const diff = tr.querySelector('.bp-diff').value;
      const n = Number(tr.querySelector('.bp-count').value) || 0;
      total += n;
      const parts = [];
      let bad = !want;
      for (const t of enabledTracks()) {
        const have = want ? available(want, diff, t) : 0;
        if (have < n) bad = true;
        parts.push(TRACKS[t] + ': ' + have);
      }
      const a = tr.querySelector('.avail');
      a.textContent = (want ? parts.join(' · ') : '—') + (bad && want ? ' — không đủ câu!' : '');
      a.classList.toggle('short', bad && !!want);
      tr.classList.toggle('short-row', bad);
      if (bad) short++;
    });
    const t = card.querySelector('.bp-total');
    t.textContent = 'Tổng: ' + total + ' câu' + (short ? ' · ' + short + ' dòng cần sửa' : '');
    t.classList.toggle('avail', true);
    t.classList.toggle('short', short > 0);
  }

  function collectRound(card) {
    const v = (name) => card.querySelector('[name="' + name + '"]');
    const r = {
      id: v('id').value.trim(), title: v('title').value.trim(),
      opens_at: K.fromVnInput(v('opens_at').value), closes_at: K.fromVnInput(v('closes_at').value),
      duration_seconds: Math.round(Number(v('minutes').value) * 60), attempts: Number(v('attempts').value),
      counting: v('counting').value, shuffle_questions: v('shuffle_questions').checked, shuffle_options: v('shuffle_options').checked,
      blueprint: Array.from(card.querySelectorAll('tbody tr')).map((tr) => ({
        category: tr.querySelector('.bp-cat').value, difficulty: tr.querySelector('.bp-diff').value,
        count: Number(tr.querySelector('.bp-count').value),
      })),
    };
    const freeze = K.fromVnInput(v('freeze_at').value);
    if (freeze) r.freeze_at = freeze;
    const pred = v('prediction').value.trim();
    if (pred) r.prediction = pred;
    return r;
  }

  function collect() {
    const out = Object.assign({}, doc);
    out.format = 'cchc-contest/1';
    out.id = $('#c-id').value.trim();
    out.title = $('#c-title').value.trim();
    out.organiser = $('#c-organiser').value.trim();
    out.rules = $('#c-rules').value;
    out.tracks = enabledTracks();
    out.registration = Object.assign({}, doc.registration || {}, { cccd: $('#c-cccd').value, email: $('#c-email').value });
    out.review = $('#c-review').value;
    out.ranking = $('#c-ranking').value.split(',');
    out.aggregate = $('#c-aggregate').value;
    out.grace_seconds = Number($('#c-grace').value);
    out.points_per_question = Number($('#c-points').value);
    out.banks = Array.from(document.querySelectorAll('#c-banks input[name=bank]:checked')).map((x) => {
      const b = { id: x.value };
      if (x.dataset.version) b.version = Number(x.dataset.version);
      return b;
    });
    out.units = parseUnits($('#u-csv').value).units;
    out.rounds = Array.from(document.querySelectorAll('.round-card')).map(collectRound);
    return out;
  }

  const FIELD_NAMES = { id: 'Mã cuộc thi', title: 'Tên cuộc thi', organiser: 'Cơ quan tổ chức', banks: 'Ngân hàng câu hỏi', units: 'Danh sách đơn vị', rounds: 'Vòng thi' };

  async function save(ev) {
    ev.preventDefault();
    const box = $('#save-msg');
    const { errors } = previewUnits();
    if (errors.length) { showMsg(box, 'Danh sách đơn vị có lỗi: ' + errors[0], 'error'); return; }
    if (document.querySelector('.round-card tr.short-row')) {
      showMsg(box, 'Có dòng cơ cấu đề đòi nhiều câu hơn số có trong ngân hàng (tô đỏ). Hãy sửa trước khi lưu.', 'error');
      return;
    }
    const body = collect();
    const btn = $('#contest-save');
    btn.disabled = true;
    try {
      await api('POST', '/api/admin/contests', { body });
      showMsg(box, 'Đã lưu cuộc thi "' + body.title + '".', 'ok');
      isNew = false;
      await loadContestList(body.id);
      await openContest(body.id);
      showMsg($('#save-msg'), 'Đã lưu cuộc thi "' + body.title + '".', 'ok');
    } catch (e) {
      const f = e.field || '';
      const m = /^rounds\[(\d+)\]/.exec(f);
      const where = m ? 'Vòng ' + (Number(m[1]) + 1) + ' (' + f + ')' : (FIELD_NAMES[f.split(/[.[]/)[0]] || f);
      showMsg(box, (where ? where + ': ' : '') + e.message, 'error');
      if (m) document.querySelectorAll('.round-card')[Number(m[1])]?.scrollIntoView({ block: 'center' });
    } finally {
      btn.disabled = false;
    }
  }

  /* ================= banks ================= */

  let qOffset = 0;
  async function loadQuestions(reset) {
    const [key, version] = ($('#q-bank').value || '').split('@');
    if (!key) return;
    if (reset) qOffset = 0;
    const p = new URLSearchParams({ limit: '20', offset: String(qOffset) });
    if (version) p.set('version', version);
    if ($('#q-text').value.trim()) p.set('q', $('#q-text').value.trim());
    if ($('#q-cat').value) p.set('category', $('#q-cat').value);
    const box = clear($('#q-list'));
    let data;
    try { data = await api('GET', '/api/admin/banks/' + encodeURIComponent(key) + '/questions?' + p); } catch (e) { showMsg(box, e.message, 'error'); return; }
    const cat = $('#q-cat');
    if (cat.options.length <= 1) for (const c of data.categories || []) cat.appendChild(el('option', { value: c.id }, c.title + ' (' + c.id + ')'));
    box.appendChild(el('p', { class: 'muted small' }, fmtNum(data.total) + ' câu hỏi khớp · hiển thị ' + (data.total ? qOffset + 1 : 0) + '–' + Math.min(qOffset + 20, data.total)));
    for (const q of data.questions) box.appendChild(questionCard(q));
    const nav = el('div', { class: 'actions' });
    if (qOffset > 0) nav.appendChild(el('button', { type: 'button', class: 'secondary', onclick: () => { qOffset -= 20; loadQuestions(false); } }, '‹ Trang trước'));
    if (qOffset + 20 < data.total) nav.appendChild(el('button', { type: 'button', class: 'secondary', onclick: () => { qOffset += 20; loadQuestions(false); } }, 'Trang sau ›'));
    box.appendChild(nav);
  }

  function questionCard(q) {
    const key = q.key || q.correct || [];
    const card = el('div', { class: 'qcard', id: 'q-' + q.id },
      el('div', { class: 'row-head' }, el('strong', null, q.qkey),
        el('span', { class: 'muted small' }, 'số ' + q.id + ' · ' + q.category + ' · ' + (DIFF[q.difficulty] || q.difficulty) +
          ' · ' + ({ both: 'cả hai đối tượng', cbccvc: 'CBCCVC', citizen: 'người dân' }[q.track] || q.track) + (q.voided ? ' · ĐÃ HỦY' : ''))),
      el('p', null, q.text),
      el('ol', { class: 'options', type: 'A' }, q.options.map((o, i) => el('li', { class: key.includes(i) ? 'key' : null }, o + (key.includes(i) ? ' ✓ (đáp án)' : '')))),
      q.explanation ? el('p', { class: 'small muted' }, 'Giải thích: ' + q.explanation) : null);
    const fix = el('button', { type: 'button', class: 'secondary small' }, 'Sửa đáp án / hủy câu (chấm lại)');
    fix.addEventListener('click', () => regrade(card, q, key));
    card.appendChild(fix);
    return card;
  }

  async function regrade(card, q, key) {
    const opts = q.options.map((o, i) => [String(i), LETTERS[i] + '. ' + o]);
    const v = await K.ask('Sửa đáp án câu ' + q.qkey, [
      { name: 'key', label: 'Đáp án đúng', type: 'select', options: [['void', 'Hủy câu hỏi (mọi người được điểm)']].concat(opts), value: String(key[0] !== undefined ? key[0] : '') },
      { name: 'reason', label: 'Lý do', type: 'textarea', required: true },
    ], 'Xem trước việc chấm lại');
    if (!v) return;
    const body = { reason: v.reason, dry_run: true };
    if (v.key === 'void') body.void = true; else body.key = [Number(v.key)];
    const out = el('div', { class: 'msg info' });
    card.appendChild(out);
    try {
      const r = await api('POST', '/api/admin/questions/' + q.id + '/regrade', { body });
      out.textContent = 'Xem trước: ' + fmtNum(r.attempts_examined) + ' bài thi có câu này, ' + fmtNum(r.attempts_changed) + ' bài sẽ đổi điểm.';
      const apply = el('button', { type: 'button' }, 'Xác nhận chấm lại');
      apply.addEventListener('click', async () => {
        apply.disabled = true;
        try {
          const r2 = await api('POST', '/api/admin/questions/' + q.id + '/regrade', { body: Object.assign({}, body, { dry_run: false }) });
          out.textContent = 'Đã chấm lại ' + fmtNum(r2.attempts_changed) + ' bài thi.';
          loadQuestions(false);
        } catch (e) { showMsg(out, e.message, 'error'); }
      });
      card.appendChild(apply);
    } catch (e) { showMsg(out, e.message, 'error'); }
  }

  function initBanks() {
    const sel = clear($('#q-bank'));
    for (const b of banks) sel.appendChild(el('option', { value: b.key + '@' + b.version }, b.title + ' (' + b.key + ' v' + b.version + ')'));
    const want = C.param('bank');
    if (want) {
      const v = C.param('version');
      const opt = [...sel.options].find((o) => o.value === want + '@' + v) || [...sel.options].find((o) => o.value.startsWith(want + '@'));
      if (opt) sel.value = opt.value;
      else if (v) { sel.appendChild(el('option', { value: want + '@' + v }, want + ' v' + v)); sel.value = want + '@' + v; }
    }
    if (C.param('q')) $('#q-text').value = C.param('q');
    sel.addEventListener('change', () => { clear($('#q-cat')).appendChild(el('option', { value: '' }, 'Tất cả')); loadQuestions(true); });
    $('#q-form').addEventListener('submit', (ev) => { ev.preventDefault(); loadQuestions(true); });
    loadQuestions(true);
  }

  /* ================= people ================= */

  const STATUS = { open: 'Đang làm bài', submitted: 'Đã nộp', expired: 'Hết giờ (đã chấm)' };

  async function search(ev) {
    if (ev) ev.preventDefault();
    const box = clear($('#p-list'));
    const q = $('#p-q').value.trim();
    if (!q) return;
    let data;
    try { data = await api('GET', '/api/admin/contests/' + encodeURIComponent($('#p-contest').value) + '/participants?q=' + encodeURIComponent(q)); } catch (e) { showMsg(box, e.message, 'error'); return; }
    if (!data.participants.length) { box.appendChild(el('p', { class: 'muted' }, 'Không tìm thấy người dự thi nào.')); return; }
    box.appendChild(K.table([
      { label: 'Mã', num: true, cell: (p) => '#' + p.id },
      { label: 'Họ và tên', cell: (p) => p.full_name },
      { label: 'Đơn vị', cell: (p) => p.unit },
      { label: 'Điện thoại', cell: (p) => p.phone || '—' },
      { label: 'CCCD', cell: (p) => p.cccd || '—' },
      { label: 'Trạng thái', cell: (p) => (p.erased_at ? 'Đã xóa dữ liệu' : p.disqualified_at ? 'Bị loại' : 'Bình thường') },
      { label: '', cell: (p) => el('button', { type: 'button', class: 'small', onclick: () => showPerson(p.id) }, 'Xem') },
    ], data.participants));
  }

  async function showPerson(id) {
    const box = clear($('#p-detail'));
    let p;
    try { p = await api('GET', '/api/admin/participants/' + id); } catch (e) { showMsg(box, e.message, 'error'); return; }
    const dl = (k, v) => el('div', null, el('dt', null, k + ': '), el('dd', null, v === null || v === undefined || v === '' ? '—' : String(v)));
    const card = el('div', { class: 'card', id: 'person' });
    card.appendChild(el('div', { class: 'row-head' }, el('h3', null, p.full_name + ' · #' + p.id),
      p.erased_at ? el('span', { class: 'badge closed' }, 'Đã xóa dữ liệu cá nhân') : p.disqualified_at ? el('span', { class: 'badge wrong' }, 'Bị loại') : null));
    card.appendChild(el('dl', { class: 'meta' }, dl('Đơn vị', p.unit.name + (p.unit.block ? ' — ' + p.unit.block : '')),
      dl('Đối tượng', TRACKS[p.track] || p.track), dl('Điện thoại', p.phone), dl('CCCD', p.cccd), dl('Email', p.email),
      dl('Đăng ký lúc', fmtTime(p.registered_at)), dl('Đồng ý xử lý dữ liệu lúc', fmtTime(p.consent_at)),
      p.disqualified_at ? dl('Bị loại lúc', fmtTime(p.disqualified_at) + ' — ' + p.disqualified_reason) : null));
    const actions = el('div', { class: 'actions' });
    if (!p.disqualified_at) actions.appendChild(el('button', { type: 'button', class: 'danger', id: 'p-dq', onclick: () => disqualify(p, 1) }, 'Loại khỏi cuộc thi'));
    else actions.appendChild(el('button', { type: 'button', class: 'secondary', id: 'p-reinstate', onclick: () => disqualify(p, 0) }, 'Khôi phục'));
    actions.appendChild(el('a', { class: 'btn secondary', href: '/api/admin/participants/' + p.id + '/export', download: 'du-lieu-ca-nhan-' + p.id + '.json' }, 'Tải dữ liệu cá nhân (JSON)'));
    if (!p.erased_at) actions.appendChild(el('button', { type: 'button', class: 'danger', id: 'p-erase', onclick: () => erase(p) }, 'Xóa dữ liệu cá nhân'));
    card.appendChild(actions);
    card.appendChild(el('h4', null, 'Các lượt thi'));
    card.appendChild(p.attempts.length ? K.table([
      { label: 'Bài thi', cell: (a) => '#' + a.id },
      { label: 'Vòng', cell: (a) => a.round + ' · lượt ' + a.attempt_no },
      { label: 'Trạng thái', cell: (a) => (STATUS[a.status] || a.status) + (a.counted ? ' (được tính)' : '') },
      { label: 'Bắt đầu', cell: (a) => fmtTime(a.started_at) },
      { label: 'Hạn', cell: (a) => fmtTime(a.deadline_at) },
      { label: 'Nộp lúc', cell: (a) => fmtTime(a.submitted_at) },
      { label: 'Điểm', num: true, cell: (a) => (a.score === null ? '—' : a.score + '/' + a.max_score) },
      { label: 'Xử lý', cell: (a) => a.status === 'open'
        ? el('button', { type: 'button', class: 'small secondary', onclick: () => deadline(p, a, false) }, 'Gia hạn')
        : el('button', { type: 'button', class: 'small secondary', onclick: () => deadline(p, a, true) }, 'Mở lại') },
    ], p.attempts) : el('p', { class: 'muted' }, 'Chưa có lượt thi nào.'));
    card.appendChild(el('div', { id: 'person-msg', class: 'hidden' }));
    box.appendChild(card);
  }

  async function disqualify(p, on) {
    const v = await K.ask(on ? 'Loại ' + p.full_name + ' khỏi cuộc thi' : 'Khôi phục ' + p.full_name,
      [{ name: 'reason', label: 'Lý do (ghi vào nhật ký)', type: 'textarea', required: true }], on ? 'Loại' : 'Khôi phục', on);
    if (!v) return;
    try {
      await api('POST', '/api/admin/participants/' + p.id + (on ? '/disqualify' : '/reinstate'), { body: { reason: v.reason } });
      await showPerson(p.id);
      showMsg($('#person-msg'), on ? 'Đã loại khỏi bảng xếp hạng và giải thưởng.' : 'Đã khôi phục.', 'ok');
    } catch (e) { showMsg($('#person-msg'), e.message, 'error'); }
  }

  async function erase(p) {
    const v = await K.ask('Xóa dữ liệu cá nhân của ' + p.full_name, [
      { name: 'reason', label: 'Lý do / căn cứ yêu cầu', type: 'textarea', required: true },
      { name: 'confirm', label: 'Gõ mã người dự thi (' + p.id + ') để xác nhận', type: 'text', required: true,
        hint: 'Họ tên, số điện thoại, CCCD, email bị xóa vĩnh viễn; điểm được giữ ẩn danh để bảng xếp hạng không đổi.' },
    ], 'Xóa vĩnh viễn', true);
    if (!v) return;
    try {
      await api('POST', '/api/admin/participants/' + p.id + '/erase', { body: { reason: v.reason, confirm: Number(v.confirm) } });
      await showPerson(p.id);
      showMsg($('#person-msg'), 'Đã xóa dữ liệu cá nhân; kết quả được giữ ẩn danh.', 'ok');
    } catch (e) { showMsg($('#person-msg'), e.message, 'error'); }
  }

  async function deadline(p, a, reopen) {
    const v = await K.ask((reopen ? 'Mở lại bài thi #' : 'Gia hạn bài thi #') + a.id, [
      { name: 'minutes', label: 'Cho làm thêm (phút, tính từ bây giờ)', type: 'number', value: 15, min: 1, required: true },
      { name: 'reason', label: 'Lý do (sự cố)', type: 'textarea', required: true },
    ], reopen ? 'Mở lại' : 'Gia hạn');
    if (!v) return;
    try {
      const r = await api('POST', '/api/admin/attempts/' + a.id + (reopen ? '/reopen' : '/extend'), { body: { minutes: Number(v.minutes), reason: v.reason } });
      await showPerson(p.id);
      showMsg($('#person-msg'), 'Hạn mới: ' + fmtTime(r.deadline_at) + '. Người dự thi mở lại trang bài thi để làm tiếp.', 'ok');
    } catch (e) { showMsg($('#person-msg'), e.message, 'error'); }
  }

  /* ================= accounts ================= */

  async function loadAccounts() {
    const box = clear($('#acc-body'));
    if (me.role !== 'admin') {
      box.appendChild(el('p', { class: 'muted' }, 'Chỉ tài khoản quản trị hệ thống tạo được tài khoản cho Ban Tổ chức và Giám khảo.'));
      return;
    }
    let data;
    try { data = await api('GET', '/api/admin/accounts'); } catch (e) { showMsg(box, e.message, 'error'); return; }
    box.appendChild(el('div', { class: 'card' }, K.table([
      { label: 'Tên đăng nhập', cell: (u) => u.username }, { label: 'Vai trò', cell: (u) => K.ROLES[u.role] || u.role },
      { label: 'Tạo lúc', cell: (u) => fmtTime(u.created_at) },
    ], data.users)));
    const form = el('form', { class: 'card', novalidate: true, id: 'acc-form' },
      el('h3', null, 'Tạo hoặc đặt lại tài khoản'),
      el('div', { class: 'grid3' },
        el('div', { class: 'field' }, el('label', { for: 'a-user' }, 'Tên đăng nhập'), el('input', { id: 'a-user', name: 'username', type: 'text', maxlength: '63', autocomplete: 'off' })),
        el('div', { class: 'field' }, el('label', { for: 'a-role' }, 'Vai trò'), el('select', { id: 'a-role', name: 'role' },
          el('option', { value: 'judge' }, 'Giám khảo'), el('option', { value: 'organiser' }, 'Ban tổ chức'), el('option', { value: 'admin' }, 'Quản trị hệ thống'))),
        el('div', { class: 'field' }, el('label', { for: 'a-pass' }, 'Mật khẩu (ít nhất 10 ký tự)'), el('input', { id: 'a-pass', name: 'password', type: 'password', autocomplete: 'new-password' }))),
      el('div', { id: 'acc-msg', class: 'hidden' }), el('button', { type: 'submit' }, 'Lưu tài khoản'));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try {
        await api('POST', '/api/admin/users', { body: { username: $('#a-user').value.trim(), role: $('#a-role').value, password: $('#a-pass').value }, form, msg: $('#acc-msg') });
        await loadAccounts();
        showMsg($('#acc-msg'), 'Đã lưu tài khoản.', 'ok');
      } catch (e) { /* shown */ }
    });
    box.appendChild(form);
  }

  /* ================= start ================= */

  async function init() {
    try { me = await K.session(['organiser', 'admin'], msg()); } catch (e) { return; }
    await loadBanks();
    const list = await loadContestList();
    $('#contest-pick').addEventListener('change', () => openContest($('#contest-pick').value));
    $('#contest-new').addEventListener('click', () => { doc = blankContest(); meta = null; isNew = true; fillForm(); $('#c-id').focus(); });
    $('#contest-form').addEventListener('submit', save);
    /* a message about the last save goes as soon as the form changes */
    $('#contest-form').addEventListener('input', () => showMsg($('#save-msg'), ''));
    $('#contest-form').addEventListener('change', () => showMsg($('#save-msg'), ''));
    $('#contest-json').addEventListener('click', () => {
      const pre = $('#json-out');
      pre.textContent = JSON.stringify(collect(), null, 2);
      pre.classList.remove('hidden');
    });
    $('#r-add').addEventListener('click', () => {
      const r = { id: 'vong-' + (document.querySelectorAll('.round-card').length + 1), title: '', duration_seconds: 900, attempts: 1, blueprint: [{ category: '', difficulty: 'any', count: 1 }] };
      const card = roundCard(r, document.querySelectorAll('.round-card').length);
      $('#rounds').appendChild(card);
      refreshBlueprint(card);
      card.querySelector('[name=title]').focus();
    });
    $('#u-csv').addEventListener('input', previewUnits);
    $('#u-file').addEventListener('change', async () => {
      const f = $('#u-file').files[0];
      if (!f) return;
      $('#u-csv').value = (await f.text()).replace(/^\uFEFF/, '');
      previewUnits();
    });
    document.querySelectorAll('#c-tracks input').forEach((x) => x.addEventListener('change', () => document.querySelectorAll('.round-card').forEach(refreshBlueprint)));
    $('#p-form').addEventListener('submit', search);
    if (list.length) await openContest(list[0].id);
    else { doc = blankContest(); isNew = true; fillForm(); }
    let banksReady = false, auditReady = false, accReady = false;
    K.tabs($('.tabs'), (name) => {
      if (name === 'banks' && !banksReady) { banksReady = true; initBanks(); }
      if (name === 'audit' && !auditReady) { auditReady = true; K.auditViewer($('#audit-box')); }
      if (name === 'accounts' && !accReady) { accReady = true; loadAccounts(); }
    });
  }

  init();
})();
