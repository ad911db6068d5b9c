/* cchc-quiz: helpers shared by the organiser's and the judges' consoles and
 * the printable prize list (plain ES2020). Exposes one global, CONSOLE.
 * Needs app.js (CCHC). */
(function () {
  'use strict';
  const C = window.CCHC;
  const { el, $, clear, showMsg } = C;
  const CSRF_KEY = 'cchc.staff.csrf';
  const ROLES = { admin: 'Quản trị hệ thống', organiser: 'Ban tổ chức', judge: 'Giám khảo' };
  let me = null;

  /** The staff session; sends to the login page when there is none. Resolves {username, role, csrf_token}. */
  async function session(roles, msgBox) {
    try {
      me = await C.api('GET', '/api/auth/me');
    } catch (e) {
      if (e.status === 401) {
        location.href = 'staff.html?next=' + encodeURIComponent(location.pathname.replace(/^.*\//, '') + location.search);
      } else {
        showMsg(msgBox, e.message, 'error');
      }
      throw e;
    }
    try { sessionStorage.setItem(CSRF_KEY, me.csrf_token); } catch (e) { /* ignore */ }
    const who = $('#who');
    if (who) who.textContent = me.username + ' · ' + (ROLES[me.role] || me.role);
    if (roles && !roles.includes(me.role)) {
      showMsg(msgBox, 'Tài khoản ' + me.username + ' (' + (ROLES[me.role] || me.role) + ') không dùng được trang này.', 'error');
      throw new Error('role');
    }
    return me;
  }

  /** C.api with the CSRF token on every write. */
  function api(method, path, opts) {
    opts = opts || {};
    if (method !== 'GET') opts.csrf = me && me.csrf_token;
    return C.api(method, path, opts);
  }

  /** Tabs: buttons[data-tab] inside nav show the matching #tab-<name>. */
  function tabs(nav, onShow) {
    const buttons = Array.from(nav.querySelectorAll('button[data-tab]'));
    function show(name, push) {
      for (const b of buttons) {
        const on = b.dataset.tab === name;
        b.setAttribute('aria-selected', on ? 'true' : 'false');
        const panel = document.getElementById('tab-' + b.dataset.tab);
        if (panel) panel.classList.toggle('hidden', !on);
      }
      if (push) {
        const u = new URL(location.href);
        u.searchParams.set('tab', name);
        history.replaceState(null, '', u);
      }
      if (onShow) onShow(name);
    }
    for (const b of buttons) b.addEventListener('click', () => show(b.dataset.tab, true));
    const first = C.param('tab');
    show(buttons.some((b) => b.dataset.tab === first) ? first : buttons[0].dataset.tab, false);
    return show;
  }

  /**
   * A modal form. fields: [{name, label, type ('text'|'textarea'|'number'|'datetime'|'select'),
   * value, required, hint, options: [[value, label]]}]. Resolves the values, or null if cancelled.
   */
  function ask(title, fields, okLabel, danger) {
    return new Promise((resolve) => {
      const dlg = el('dialog', { class: 'console-dialog', 'aria-labelledby': 'dlg-title' });
      const form = el('form', { method: 'dialog', novalidate: true });
      form.appendChild(el('h2', { id: 'dlg-title' }, title));
      const inputs = {};
      for (const f of fields) {
        const id = 'dlg-' + f.name;
        let input;
        if (f.type === 'textarea') input = el('textarea', { id, name: f.name, rows: '3', maxlength: '500' });
        else if (f.type === 'select') input = el('select', { id, name: f.name }, (f.options || []).map(([v, l]) => el('option', { value: v }, l)));
        else input = el('input', { id, name: f.name, type: f.type === 'datetime' ? 'datetime-local' : (f.type || 'text'), maxlength: f.type === 'number' ? null : '500' });
        if (f.value !== undefined && f.value !== null) input.value = String(f.value);
        if (f.min !== undefined) input.setAttribute('min', String(f.min));
        inputs[f.name] = input;
        form.appendChild(el('div', { class: 'field' }, el('label', { for: id }, f.label, f.required ? el('span', { class: 'req' }, ' *') : null),
          input, f.hint ? el('div', { class: 'hint' }, f.hint) : null));
      }
      const err = el('div', { class: 'hidden' });
      const ok = el('button', { type: 'submit', value: 'ok', class: danger ? 'danger' : '' }, okLabel || 'Đồng ý');
      const cancel = el('button', { type: 'button', class: 'secondary' }, 'Hủy');
      form.append(err, el('div', { class: 'actions' }, ok, cancel));
      dlg.appendChild(form);
      document.body.appendChild(dlg);
      const done = (v) => { dlg.close(); dlg.remove(); resolve(v); };
      cancel.addEventListener('click', () => done(null));
      dlg.addEventListener('cancel', (ev) => { ev.preventDefault(); done(null); });
      form.addEventListener('submit', (ev) => {
        ev.preventDefault();
        const values = {};
        for (const f of fields) {
          const v = inputs[f.name].value.trim();
          if (f.required && !v) { showMsg(err, 'Vui lòng nhập ' + f.label.toLowerCase() + '.', 'error'); inputs[f.name].focus(); return; }
          values[f.name] = v;
        }
        done(values);
      });
      dlg.showModal();
      const firstInput = form.querySelector('input, textarea, select');
      if (firstInput) firstInput.focus();
    });
  }

  /* ---------- Vietnam time for <input type=datetime-local> ---------- */

  const VN_MS = 7 * 3600 * 1000;
  const pad = (n) => String(n).padStart(2, '0');
  /** ms or ISO -> "2026-11-20T08:00" as seen in Vietnam. */
  function toVnInput(v) {
    const d = C.toDate(v);
    if (!d) return '';
    const t = new Date(d.getTime() + VN_MS);
    return t.getUTCFullYear() + '-' + pad(t.getUTCMonth() + 1) + '-' + pad(t.getUTCDate()) + 'T' + pad(t.getUTCHours()) + ':' + pad(t.getUTCMinutes());
  }
  /** "2026-11-20T08:00" (Vietnam) -> "2026-11-20T08:00:00+07:00", or '' */
  function fromVnInput(s) {
    return /^\d{4}-\d\d-\d\dT\d\d:\d\d$/.test(s || '') ? s + ':00+07:00' : '';
  }

  /* ---------- tables ---------- */

  /** A table: columns [{label, num, cell(row) -> node|string}], rows. */
  function table(columns, rows, opts) {
    opts = opts || {};
    return el('div', { class: 'table-wrap' }, el('table', { class: opts.class || '' },
      opts.caption ? el('caption', null, opts.caption) : null,
      el('thead', null, el('tr', null, columns.map((c) => el('th', { class: c.num ? 'num' : null, scope: 'col' }, c.label)))),
      el('tbody', null, rows.map((r, i) => {
        const tr = el('tr', opts.rowAttrs ? opts.rowAttrs(r, i) : null,
          columns.map((c) => el('td', { class: c.num ? 'num' : null, 'data-label': c.label }, c.cell(r, i))));
        return tr;
      }))));
  }

  const ACTIONS = {
    'auth.login': 'Đăng nhập', 'user.set': 'Tạo/sửa tài khoản', 'contest.load': 'Tạo/sửa cuộc thi',
    'participant.disqualify': 'Loại người dự thi', 'participant.reinstate': 'Khôi phục người dự thi',
    'participant.erase': 'Xóa dữ liệu cá nhân', 'participant.export': 'Xuất dữ liệu cá nhân',
    'attempt.extend': 'Gia hạn bài thi', 'attempt.reopen': 'Mở lại bài thi', 'prize.config': 'Cấu hình giải thưởng',
    'prize.propose': 'Đề xuất giải thưởng', 'prize.confirm': 'Xác nhận giải', 'prize.strike': 'Loại khỏi danh sách giải',
    'results.publish': 'Công bố kết quả', 'results.unpublish': 'Hủy công bố kết quả', export: 'Xuất dữ liệu',
    'export.personal': 'Xuất dữ liệu có thông tin cá nhân', regrade: 'Chấm lại',
  };

  /** The audit log viewer (GET /api/admin/audit) inside box. */
  function auditViewer(box) {
    clear(box);
    const action = el('input', { type: 'text', id: 'audit-action', placeholder: 'ví dụ: participant, prize, results.publish' });
    const actor = el('input', { type: 'text', id: 'audit-actor', placeholder: 'tên đăng nhập' });
    const out = el('div');
    const more = el('button', { type: 'button', class: 'secondary hidden' }, 'Xem các mục cũ hơn');
    let before = null;
    async function load(reset) {
      if (reset) { before = null; clear(out); }
      const q = new URLSearchParams({ limit: '50' });
      if (before) q.set('before', String(before));
      if (action.value.trim()) q.set('action', action.value.trim());
      if (actor.value.trim()) q.set('actor', actor.value.trim());
      let data;
      try { data = await api('GET', '/api/admin/audit?' + q); } catch (e) { showMsg(out, e.message, 'error'); return; }
      out.appendChild(table([
        { label: 'Thời điểm', cell: (e) => C.fmtTime(e.at) },
        { label: 'Người thực hiện', cell: (e) => e.actor },
        { label: 'Thao tác', cell: (e) => el('span', { title: e.action }, ACTIONS[e.action] || e.action) },
        { label: 'Chi tiết (trước/sau)', cell: (e) => auditDetail(e.detail) },
      ], data.entries, { class: 'audit' }));
      before = data.next_before;
      more.classList.toggle('hidden', !before);
    }
    const form = el('form', { class: 'pickers', novalidate: true },
      el('div', { class: 'field' }, el('label', { for: 'audit-action' }, 'Thao tác bắt đầu bằng'), action),
      el('div', { class: 'field' }, el('label', { for: 'audit-actor' }, 'Người thực hiện'), actor),
      el('div', { class: 'field' }, el('span', { class: 'label' }, '\u00a0'), el('button', { type: 'submit' }, 'Lọc')));
    form.addEventListener('submit', (ev) => { ev.preventDefault(); load(true); });
    more.addEventListener('click', () => load(false));
    box.append(el('p', { class: 'muted small' }, 'Nhật ký chỉ được ghi thêm, không ai sửa hay xóa được.'), form, out, more);
    load(true);
  }

  function auditDetail(d) {
    if (!d || typeof d !== 'object') return String(d || '');
    const parts = [];
    if (d.reason) parts.push(el('div', null, el('strong', null, 'Lý do: '), d.reason));
    if (d.before !== undefined || d.after !== undefined) {
      parts.push(el('div', { class: 'small' }, el('strong', null, 'Trước: '), JSON.stringify(d.before)));
      parts.push(el('div', { class: 'small' }, el('strong', null, 'Sau: '), JSON.stringify(d.after)));
    }
    parts.push(el('details', null, el('summary', null, 'Toàn bộ'), el('pre', { class: 'json' }, JSON.stringify(d, null, 2))));
    return parts;
  }

  const KEY_NAMES = {
    score_desc: 'điểm', prediction_error_asc: 'câu hỏi dự đoán (gần đúng hơn)', submitted_at_asc: 'thời điểm nộp (sớm hơn)',
    duration_asc: 'thời gian làm bài (ngắn hơn)', last_submitted_at_asc: 'thời điểm nộp bài cuối (sớm hơn)',
    participation_rate_desc: 'tỷ lệ tham gia', participants_desc: 'số người dự thi', average_score_desc: 'điểm trung bình',
    unresolved: 'chưa phân định được',
  };

  window.CONSOLE = { session, api, tabs, ask, toVnInput, fromVnInput, table, auditViewer, ROLES, KEY_NAMES, me: () => me };
})();
