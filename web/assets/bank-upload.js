/* Question banks for organisers (bank-upload.html): upload a file (picker or drag and
 * drop) in any format, read the report, confirm; list the banks; search a bank's
 * questions and correct a key or void a question with a dry run first. Staff writes
 * carry the X-CSRF-Token from GET /api/auth/me. */
(function () {
  'use strict';
  const C = window.CCHC;
  const { el, $, clear, api, showMsg, fmtNum, fmtTime } = C;
  const LETTERS = 'ABCDEF';
  const FORMAT_NAMES = { native: 'JSON của hệ thống', gift: 'GIFT', aiken: 'Aiken', csv: 'CSV', xml: 'Moodle XML' };
  const DIFF = { easy: 'Dễ', medium: 'Trung bình', hard: 'Khó' };
  const TRACK = { both: 'Chung', cbccvc: 'CBCCVC', citizen: 'Người dân' };
  const MAX_BYTES = 10 * 1024 * 1024;
  const MAX_PROBLEMS_SHOWN = 500;

  let csrf = null;
  let file = null;
  let token = null;
  let lastReport = null;

  /* ---------- start ---------- */

  async function init() {
    try {
      const me = await api('GET', '/api/auth/me');
      csrf = me && (me.csrf_token || me.csrf);
      if (me.role !== 'organiser' && me.role !== 'admin') {
        showMsg($('#msg'), 'Tài khoản ' + (me.username || '') + ' không có quyền quản lý ngân hàng câu hỏi (cần tài khoản ban tổ chức).', 'error');
        return;
      }
    } catch (e) {
      if (e.status === 401 || e.status === 403) $('#need-login').classList.remove('hidden');
      else showMsg($('#msg'), e.message, 'error');
      return;
    }
    $('#upload').classList.remove('hidden');
    $('#banks').classList.remove('hidden');
    $('#browse').classList.remove('hidden');
    $('#switch').classList.remove('hidden');
    wireUpload();
    $('#switch-bank').addEventListener('change', fillVersions);
    $('#switch-form').addEventListener('submit', (ev) => { ev.preventDefault(); switchVersion(); });
    loadContests();
    $('#browse-form').addEventListener('submit', (ev) => { ev.preventDefault(); browse(0); });
    $('#browse-bank').addEventListener('change', () => browse(0));
    loadBanks();
  }

  /* ---------- choosing a file ---------- */

  function setFile(f) {
    file = f || null;
    const name = $('#file-name');
    if (!file) {
      name.classList.add('hidden');
      return;
    }
    name.textContent = 'Đã chọn: ' + file.name + ' (' + fmtNum(Math.ceil(file.size / 1024)) + ' KB)';
    name.classList.remove('hidden');
    showMsg($('#msg'), '');
  }

  function wireUpload() {
    const drop = $('#drop');
    const input = $('#file');
    input.addEventListener('change', () => setFile(input.files[0]));
    drop.addEventListener('click', (ev) => {
      if (ev.target === input || ev.target.tagName === 'LABEL') return;
      input.click();
    });
    drop.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') { ev.preventDefault(); input.click(); }
    });
    ['dragenter', 'dragover'].forEach((t) => drop.addEventListener(t, (ev) => {
      ev.preventDefault();
      drop.classList.add('over');
    }));
    ['dragleave', 'dragend'].forEach((t) => drop.addEventListener(t, () => drop.classList.remove('over')));
    drop.addEventListener('drop', (ev) => {
      ev.preventDefault();
      drop.classList.remove('over');
      const f = ev.dataTransfer && ev.dataTransfer.files && ev.dataTransfer.files[0];
      if (!f) return;
      try { input.files = ev.dataTransfer.files; } catch (e) { /* an older browser: the name below says it */ }
      setFile(f);
    });
    $('#upload-form').addEventListener('submit', (ev) => { ev.preventDefault(); check(); });
    $('#confirm').addEventListener('click', confirmUpload);
    $('#again').addEventListener('click', () => {
      $('#report').classList.add('hidden');
      token = null;
      input.value = '';
      setFile(null);
      input.focus();
    });
  }

  /* ---------- checking and confirming ---------- */

  async function check() {
    const msg = $('#msg');
    if (!file) { showMsg(msg, 'Vui lòng chọn hoặc kéo thả một tệp câu hỏi.', 'error'); return; }
    if (file.size > MAX_BYTES) { showMsg(msg, 'Tệp lớn hơn 10 MB; hãy chia thành nhiều ngân hàng nhỏ hơn.', 'error'); return; }
    const fd = new FormData();
    fd.append('file', file, file.name);
    const fmt = $('#format').value;
    const id = $('#bank-id').value.trim();
    const title = $('#bank-title').value.trim();
    if (fmt) fd.append('format', fmt);
    if (id) fd.append('id', id);
    if (title) fd.append('title', title);
    const btn = $('#check');
    btn.disabled = true;
    showMsg(msg, 'Đang kiểm tra tệp…', 'info');
    let res;
    let body = null;
    try {
      res = await fetch('/api/admin/banks/preview', {
        method: 'POST', body: fd, credentials: 'same-origin', cache: 'no-store',
        headers: { Accept: 'application/json', 'X-CSRF-Token': csrf || '' },
      });
      const text = await res.text();
      try { body = text ? JSON.parse(text) : null; } catch (e) { body = null; }
    } catch (e) {
      showMsg(msg, 'Không kết nối được máy chủ. Vui lòng thử lại.', 'error');
      btn.disabled = false;
      return;
    }
    btn.disabled = false;
    showMsg(msg, '');
    if (res.ok || (res.status === 400 && body && Array.isArray(body.problems))) {
      renderReport(body);
      return;
    }
    const err = (body && body.error && body.error.message) || ('Lỗi ' + res.status);
    showMsg(msg, res.status === 413 ? 'Tệp quá lớn: ' + err : err, 'error');
  }

  function countsBox(label, map, names) {
    return el('div', null, el('strong', null, label), el('ul', { class: 'list' },
      Object.keys(names).map((k) => el('li', null, names[k] + ': ' + fmtNum((map && map[k]) || 0)))));
  }

  function renderReport(r) {
    lastReport = r;
    token = r.ok ? r.upload_token : null;
    const sec = $('#report');
    sec.classList.remove('hidden');
    const status = clear($('#report-status'));
    const fmtName = FORMAT_NAMES[r.format] || r.format;
    status.appendChild(el('p', null, 'Tệp ', el('strong', null, r.file || ''), ' — định dạng ', el('strong', { id: 'report-format' }, fmtName),
      ': ', fmtNum(r.errors), ' lỗi, ', fmtNum(r.warnings), ' cảnh báo.'));
    const box = el('div');
    status.appendChild(box);
    if (r.ok) {
      showMsg(box, 'Không có lỗi. ' + fmtNum(r.bank.questions) + ' câu hỏi sẵn sàng để nhập. Chưa có gì được lưu cho đến khi bạn bấm “Xác nhận nhập ngân hàng”.', 'ok');
    } else {
      showMsg(box, 'Tệp có ' + fmtNum(r.errors) + ' lỗi nên chưa có gì được lưu. Hãy sửa tệp theo các dòng dưới đây rồi tải lên lại.', 'error');
    }
    // counts
    const sum = clear($('#report-summary'));
    if (r.bank) {
      const b = r.bank;
      sum.appendChild(el('dl', { class: 'meta' },
        el('div', null, el('dt', null, 'Mã ngân hàng: '), el('dd', { id: 'report-bank-id' }, b.id)),
        el('div', null, el('dt', null, 'Tên: '), el('dd', null, b.title))));
      sum.appendChild(el('div', { class: 'counts' },
        el('div', null, el('span', { class: 'n', id: 'report-count' }, fmtNum(b.questions)), 'câu hỏi'),
        el('div', null, el('span', { class: 'n' }, fmtNum(b.multi)), 'câu nhiều đáp án'),
        el('div', null, el('span', { class: 'n' }, fmtNum(b.categories.length)), 'nhóm câu hỏi')));
      const cats = el('table', { class: 'stack' }, el('thead', null, el('tr', null, el('th', null, 'Nhóm'), el('th', null, 'Mã nhóm'), el('th', { class: 'num' }, 'Số câu'))),
        el('tbody', null, b.categories.map((c) => el('tr', null, el('td', { 'data-label': 'Nhóm' }, c.title), el('td', { 'data-label': 'Mã' }, c.id),
          el('td', { class: 'num', 'data-label': 'Số câu' }, fmtNum(c.questions))))));
      sum.appendChild(el('div', { class: 'table-wrap' }, cats));
      sum.appendChild(el('div', { class: 'counts' }, countsBox('Độ khó', b.difficulty, DIFF), countsBox('Đối tượng', b.track, TRACK)));
    }
    // the previous version
    const prev = clear($('#report-previous'));
    if (r.previous) {
      const p = r.previous;
      prev.appendChild(el('h3', null, 'So với phiên bản ' + p.version + ' đang có'));
      prev.appendChild(el('p', null, 'Thêm ' + fmtNum(p.added) + ', bỏ ' + fmtNum(p.removed) + ', đổi nội dung ' + fmtNum(p.changed) +
        ', giữ nguyên ' + fmtNum(p.unchanged) + ', đổi đáp án ' + fmtNum(p.key_changes.length) + ' câu.' +
        (r.ok ? ' Xác nhận sẽ tạo phiên bản mới (nếu nội dung khác); các cuộc thi đang dùng phiên bản cũ vẫn giữ phiên bản đó.' : '')));
      if (p.key_changes.length) {
        prev.appendChild(el('ul', null, p.key_changes.map((k) => el('li', null,
          'Câu ' + k.question_id + ' (dòng ' + k.line + '): đáp án ' + k.old_key.map((i) => LETTERS[i]).join(', ') +
          ' → ' + k.new_key.map((i) => LETTERS[i]).join(', ')))));
      }
    }
    // problems
    const probs = clear($('#report-problems'));
    if (r.problems && r.problems.length) {
      probs.appendChild(el('h3', null, 'Lỗi và cảnh báo theo dòng'));
      const rows = r.problems.slice(0, MAX_PROBLEMS_SHOWN).map((p) => el('tr', { class: 'sev-' + p.severity },
        el('td', { class: 'num', 'data-label': 'Dòng' }, p.line ? String(p.line) : '—'),
        el('td', { class: 'num', 'data-label': 'Cột' }, p.col ? String(p.col) : '—'),
        el('td', { class: 'sev', 'data-label': 'Mức' }, p.severity === 'error' ? 'Lỗi' : 'Cảnh báo'),
        el('td', { 'data-label': 'Nội dung' }, p.message)));
      probs.appendChild(el('div', { class: 'table-wrap problems' }, el('table', { class: 'stack', id: 'problems-table' },
        el('thead', null, el('tr', null, el('th', { class: 'num' }, 'Dòng'), el('th', { class: 'num' }, 'Cột'), el('th', null, 'Mức'), el('th', null, 'Nội dung'))),
        el('tbody', null, rows))));
      if (r.problems.length > MAX_PROBLEMS_SHOWN) probs.appendChild(el('p', { class: 'muted small' }, 'Chỉ hiện ' + MAX_PROBLEMS_SHOWN + ' dòng đầu.'));
    }
    // duplicates
    const dup = clear($('#report-duplicates'));
    if (r.duplicates && r.duplicates.length) {
      dup.appendChild(el('h3', null, 'Câu hỏi trùng lặp (' + r.duplicates.length + ')'));
      dup.appendChild(el('ul', null, r.duplicates.slice(0, 100).map((d) => el('li', null, d.kind === 'within'
        ? 'Dòng ' + d.line + ' (' + d.question_id + ') trùng với dòng ' + d.other_line + ' (' + d.other_question + ') trong tệp này'
        : 'Dòng ' + d.line + ' (' + d.question_id + ') trùng với câu ' + d.other_question + ' của ngân hàng ' + d.other_bank + ' (phiên bản ' + d.other_version + ')'))));
    }
    $('#confirm').classList.toggle('hidden', !r.ok);
    $('#confirm').disabled = !r.ok;
    $('#done').classList.add('hidden');
    sec.focus();
    sec.scrollIntoView({ block: 'start' });
  }

  async function confirmUpload() {
    if (!token) return;
    const btn = $('#confirm');
    btn.disabled = true;
    try {
      const res = await api('POST', '/api/admin/banks/confirm', { body: { upload_token: token }, csrf, msg: $('#msg') });
      token = null;
      $('#report').classList.add('hidden');
      const done = $('#done');
      done.classList.remove('hidden');
      const body = clear($('#done-body'));
      const text = res.unchanged
        ? 'Ngân hàng ' + res.bank_id + ' đã có đúng nội dung này (phiên bản ' + res.version + '); không tạo phiên bản mới.'
        : 'Đã nhập ngân hàng ' + res.bank_id + ', phiên bản ' + res.version + ', gồm ' + fmtNum(res.questions) + ' câu hỏi.';
      const box = el('div', { id: 'done-message' });
      body.appendChild(box);
      showMsg(box, text, 'ok');
      const keyChanges = lastReport && lastReport.previous && lastReport.previous.key_changes.length;
      if (keyChanges && !res.unchanged) offerBankRegrade(res.bank_id, res.version);
      done.focus();
      loadBanks();
    } catch (e) {
      btn.disabled = false;
    }
  }

  /* ---------- regrading after a corrected upload ---------- */

  function regradeSummary(r) {
    const parts = [el('p', null, (r.dry_run ? 'Xem trước: ' : 'Đã chấm lại: ') + fmtNum(r.attempts_examined) + ' bài thi có câu hỏi này, ' +
      fmtNum(r.attempts_changed) + ' bài ' + (r.dry_run ? 'sẽ' : 'đã') + ' đổi điểm.')];
    for (const rd of r.rounds || []) {
      parts.push(el('p', null, el('strong', null, rd.title || rd.round), ': ' + fmtNum(rd.moves_total) + ' người đổi thứ hạng.'));
      if (rd.moves && rd.moves.length) {
        parts.push(el('div', { class: 'table-wrap' }, el('table', { class: 'stack' },
          el('thead', null, el('tr', null, el('th', null, 'Họ tên'), el('th', null, 'Đơn vị'), el('th', { class: 'num' }, 'Hạng'), el('th', { class: 'num' }, 'Điểm'))),
          el('tbody', null, rd.moves.slice(0, 50).map((m) => el('tr', null,
            el('td', { 'data-label': 'Họ tên' }, m.name || ''), el('td', { 'data-label': 'Đơn vị' }, m.unit || ''),
            el('td', { class: 'num', 'data-label': 'Hạng' }, (m.old_rank || '—') + ' → ' + m.new_rank),
            el('td', { class: 'num', 'data-label': 'Điểm' }, (m.old_score === null ? '—' : m.old_score) + ' → ' + m.new_score)))))));
      }
    }
    return parts;
  }

  function offerBankRegrade(bankId, version) {
    const box = clear($('#regrade-bank'));
    box.classList.remove('hidden');
    box.appendChild(el('p', null, 'Phiên bản mới đổi đáp án của một số câu. Có thể chấm lại các bài thi đã làm trên phiên bản cũ theo đáp án mới.'));
    const out = el('div');
    const preview = el('button', { type: 'button', class: 'secondary' }, 'Xem trước việc chấm lại');
    const apply = el('button', { type: 'button', class: 'hidden' }, 'Xác nhận chấm lại');
    preview.addEventListener('click', async () => {
      try {
        const r = await api('POST', '/api/admin/banks/' + encodeURIComponent(bankId) + '/regrade', { body: { version, dry_run: true }, csrf, msg: $('#msg') });
        clear(out).append(...regradeSummary(r));
        apply.classList.remove('hidden');
      } catch (e) { /* shown */ }
    });
    apply.addEventListener('click', async () => {
      apply.disabled = true;
      try {
        const r = await api('POST', '/api/admin/banks/' + encodeURIComponent(bankId) + '/regrade', { body: { version, dry_run: false }, csrf, msg: $('#msg') });
        clear(out).append(...regradeSummary(r));
        apply.classList.add('hidden');
      } catch (e) { apply.disabled = false; }
    });
    box.appendChild(el('div', { class: 'actions' }, preview, apply));
    box.appendChild(out);
  }

  /* ---------- the banks ---------- */

  async function loadBanks() {
    let data;
    try { data = await api('GET', '/api/admin/banks'); } catch (e) { showMsg($('#msg'), e.message, 'error'); return; }
    const list = data.banks || [];
    const body = clear($('#banks-body'));
    if (!list.length) {
      body.appendChild(el('p', { class: 'muted' }, 'Chưa có ngân hàng nào.'));
    } else {
      body.appendChild(el('table', { class: 'stack' },
        el('thead', null, el('tr', null, el('th', null, 'Mã'), el('th', { class: 'num' }, 'Phiên bản'), el('th', null, 'Tên'),
          el('th', { class: 'num' }, 'Số câu'), el('th', null, 'Nhập lúc'), el('th', null, 'Cuộc thi đang dùng'))),
        el('tbody', null, list.map((b) => el('tr', null,
          el('td', { 'data-label': 'Mã' }, b.bank_id), el('td', { class: 'num', 'data-label': 'Phiên bản' }, String(b.version)),
          el('td', { 'data-label': 'Tên' }, b.title), el('td', { class: 'num', 'data-label': 'Số câu' }, fmtNum(b.questions)),
          el('td', { 'data-label': 'Nhập lúc' }, fmtTime(b.imported_at)),
          el('td', { 'data-label': 'Cuộc thi' }, (b.used_by || []).join(', ') || '—'))))));
    }
    allBanks = list;
    const sw = $('#switch-bank');
    const keepSw = sw.value;
    clear(sw);
    for (const id of new Set(list.map((b) => b.bank_id))) sw.appendChild(el('option', { value: id }, id));
    if (keepSw) sw.value = keepSw;
    fillVersions();
    const sel = $('#browse-bank');
    const keep = sel.value;
    clear(sel);
    const latest = new Map();
    for (const b of list) latest.set(b.bank_id, b);
    for (const b of latest.values()) sel.appendChild(el('option', { value: b.bank_id }, b.bank_id + ' — ' + b.title));
    if (keep && latest.has(keep)) sel.value = keep;
  }

  /* ---------- a contest's bank version ---------- */

  let allBanks = [];

  function fillVersions() {
    const id = $('#switch-bank').value;
    const sel = clear($('#switch-version'));
    for (const b of allBanks.filter((x) => x.bank_id === id).reverse()) {
      const used = (b.used_by || []).length ? ' (đang dùng: ' + b.used_by.join(', ') + ')' : '';
      sel.appendChild(el('option', { value: String(b.version) }, 'Phiên bản ' + b.version + ' — ' + fmtNum(b.questions) + ' câu' + used));
    }
  }

  async function loadContests() {
    let data;
    try { data = await api('GET', '/api/admin/contests'); } catch (e) { return; }
    const sel = clear($('#switch-contest'));
    for (const c of data.contests || []) sel.appendChild(el('option', { value: c.id }, c.title + ' (' + c.id + ')'));
  }

  async function switchVersion() {
    const box = $('#switch-msg');
    const contest = $('#switch-contest').value;
    const bankId = $('#switch-bank').value;
    const version = Number($('#switch-version').value);
    if (!contest || !bankId || !version) { showMsg(box, 'Hãy chọn cuộc thi, ngân hàng và phiên bản.', 'error'); return; }
    try {
      const r = await api('POST', '/api/admin/contests/' + encodeURIComponent(contest) + '/banks',
        { body: { bank_id: bankId, version }, csrf, msg: box });
      showMsg(box, r.changed
        ? 'Cuộc thi ' + r.contest_id + ' chuyển ngân hàng ' + r.bank_id + ' từ phiên bản ' + r.from_version + ' sang phiên bản ' + r.to_version + '.'
        : 'Cuộc thi ' + r.contest_id + ' đang dùng phiên bản ' + r.to_version + ' rồi.', 'ok');
      loadBanks();
    } catch (e) { /* shown in box */ }
  }

  /* ---------- browsing questions, correcting keys ---------- */

  let lastCats = '';

  async function browse(offset) {
    const bank = $('#browse-bank').value;
    if (!bank) return;
    const q = $('#browse-q').value.trim();
    const cat = $('#browse-cat').value;
    const params = new URLSearchParams({ limit: '20', offset: String(offset) });
    if (q) params.set('q', q);
    if (cat) params.set('category', cat);
    let data;
    try {
      data = await api('GET', '/api/admin/banks/' + encodeURIComponent(bank) + '/questions?' + params, { msg: $('#msg') });
    } catch (e) { return; }
    const catSel = $('#browse-cat');
    const catKey = bank + ':' + data.categories.map((c) => c.id).join(',');
    if (catKey !== lastCats) {
      lastCats = catKey;
      clear(catSel).appendChild(el('option', { value: '' }, 'Tất cả'));
      for (const c of data.categories) catSel.appendChild(el('option', { value: c.id }, c.title));
      catSel.value = data.categories.some((c) => c.id === cat) ? cat : '';
    }
    const body = clear($('#browse-body'));
    body.appendChild(el('p', { class: 'muted small' }, 'Phiên bản ' + data.version + ': ' + fmtNum(data.total) + ' câu phù hợp.'));
    const ul = el('ul', { class: 'list' });
    for (const item of data.questions) ul.appendChild(questionRow(bank, item));
    body.appendChild(ul);
    const nav = el('div', { class: 'actions' });
    if (offset > 0) nav.appendChild(el('button', { type: 'button', class: 'secondary', onclick: () => browse(Math.max(0, offset - 20)) }, 'Trang trước'));
    if (offset + 20 < data.total) nav.appendChild(el('button', { type: 'button', class: 'secondary', onclick: () => browse(offset + 20) }, 'Trang sau'));
    body.appendChild(nav);
  }

  function questionRow(bank, item) {
    const li = el('li', { class: 'q-row' + (item.voided ? ' voided' : '') });
    li.appendChild(el('div', { class: 'row-head' }, el('strong', null, item.qkey),
      el('span', { class: 'muted small' }, 'số ' + item.id + ' · ' + (DIFF[item.difficulty] || item.difficulty) + ' · ' + (TRACK[item.track] || item.track) +
        (item.multi ? ' · nhiều đáp án' : '') + (item.voided ? ' · ĐÃ HỦY' : ''))));
    li.appendChild(el('div', { class: 'q-text' }, item.text));
    li.appendChild(el('ol', { type: 'A' }, item.options.map((o, i) => el('li', { class: item.key.includes(i) ? 'key' : '' }, o + (item.key.includes(i) ? ' ✓' : '')))));
    const box = el('div', { class: 'regrade-box hidden' });
    const open = el('button', { type: 'button', class: 'link' }, 'Sửa đáp án / hủy câu');
    open.addEventListener('click', () => {
      box.classList.toggle('hidden');
      if (!box.firstChild) fillRegrade(box, item);
    });
    li.appendChild(open);
    li.appendChild(box);
    return li;
  }

  function fillRegrade(box, item) {
    const name = 'k' + item.id;
    const choices = item.options.map((o, i) => el('label', { class: 'check' },
      el('input', { type: item.multi ? 'checkbox' : 'radio', name, value: String(i), checked: item.key.includes(i) }),
      el('span', null, LETTERS[i] + '. ' + o)));
    const voidBox = el('input', { type: 'checkbox', name: name + '-void' });
    const reason = el('input', { type: 'text', maxlength: '300', placeholder: 'Lý do (ghi vào nhật ký)' });
    const out = el('div');
    const preview = el('button', { type: 'button', class: 'secondary' }, 'Xem trước');
    const apply = el('button', { type: 'button', class: 'hidden' }, 'Xác nhận chấm lại');
    const request = () => {
      const body = { reason: reason.value.trim() || undefined };
      if (voidBox.checked) body.void = true;
      else body.key = Array.from(box.querySelectorAll('input[name="' + name + '"]:checked')).map((x) => Number(x.value));
      return body;
    };
    preview.addEventListener('click', async () => {
      const body = request();
      if (!body.void && !body.key.length) { showMsg($('#msg'), 'Hãy chọn đáp án đúng hoặc đánh dấu hủy câu hỏi.', 'error'); return; }
      try {
        const r = await api('POST', '/api/admin/questions/' + item.id + '/regrade', { body: { ...body, dry_run: true }, csrf, msg: $('#msg') });
        clear(out).append(...regradeSummary(r));
        apply.classList.remove('hidden');
        apply.disabled = false;
      } catch (e) { /* shown */ }
    });
    apply.addEventListener('click', async () => {
      apply.disabled = true;
      try {
        const r = await api('POST', '/api/admin/questions/' + item.id + '/regrade', { body: { ...request(), dry_run: false }, csrf, msg: $('#msg') });
        clear(out).append(...regradeSummary(r));
        apply.classList.add('hidden');
        showMsg($('#msg'), 'Đã chấm lại; bảng xếp hạng đã được cập nhật.', 'ok');
      } catch (e) { apply.disabled = false; }
    });
    box.append(el('p', { class: 'small' }, 'Đáp án đúng:'), ...choices,
      el('label', { class: 'check' }, voidBox, el('span', null, 'Hủy câu hỏi này (mọi người được tính điểm)')),
      el('div', { class: 'field' }, reason), el('div', { class: 'actions' }, preview, apply), out);
  }

  init();
})();
