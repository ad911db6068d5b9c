/* cchc-quiz: helpers shared by every page (plain ES2020, no build step).
 * Exposes one global, CCHC. */
(function () {
  'use strict';

  const TZ = 'Asia/Ho_Chi_Minh';
  const TOKEN_PREFIX = 'cchc.token.';       // + contest id -> bearer token
  const ATTEMPT_PREFIX = 'cchc.attempt.';   // + attempt id -> contest id

  /* ---------- DOM ---------- */

  /** el('div', {class: 'x', onclick: fn}, child, 'text', ...) */
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    if (attrs) {
      for (const [k, v] of Object.entries(attrs)) {
        if (v === null || v === undefined || v === false) continue;
        if (k === 'class') node.className = v;
        else if (k === 'text') node.textContent = v;
        else if (k.startsWith('on') && typeof v === 'function') node.addEventListener(k.slice(2), v);
        else if (k === 'dataset') Object.assign(node.dataset, v);
        else if (v === true) node.setAttribute(k, '');
        else node.setAttribute(k, String(v));
      }
    }
    append(node, children);
    return node;
  }

  function append(node, children) {
    for (const c of children) {
      if (c === null || c === undefined || c === false) continue;
      if (Array.isArray(c)) append(node, c);
      else if (c instanceof Node) node.appendChild(c);
      else node.appendChild(document.createTextNode(String(c)));
    }
  }

  function $(sel, root) { return (root || document).querySelector(sel); }

  function clear(node) { while (node.firstChild) node.removeChild(node.firstChild); return node; }

  /** Plain text with blank-line separated paragraphs -> <p> elements. */
  function paragraphs(text) {
    const out = [];
    String(text || '').replace(/\r\n?/g, '\n').split(/\n\s*\n/).forEach((block) => {
      const t = block.trim();
      if (!t) return;
      const p = el('p');
      t.split('\n').forEach((line, i) => {
        if (i) p.appendChild(el('br'));
        p.appendChild(document.createTextNode(line));
      });
      out.push(p);
    });
    return out;
  }

  function param(name) {
    return new URLSearchParams(location.search).get(name);
  }

  /** Show a message box (kind: error|ok|warn|info) inside container; '' hides it. */
  function showMsg(container, text, kind) {
    if (!container) return;
    clear(container);
    if (!text) { container.classList.add('hidden'); return; }
    container.className = 'msg ' + (kind || 'error');
    container.setAttribute('role', kind === 'error' || kind === 'warn' ? 'alert' : 'status');
    container.textContent = text;
  }

  /* ---------- API ---------- */

  class ApiError extends Error {
    constructor(status, body, fallback) {
      const e = (body && body.error) || {};
      super(e.message || fallback || 'Có lỗi xảy ra, vui lòng thử lại.');
      this.status = status;
      this.code = e.code || (status === 0 ? 'network' : 'http_' + status);
      this.field = e.field || null;
      this.body = body || null;
    }
  }

  function genericMessage(status) {
    if (status === 0) return 'Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.';
    if (status === 401) return 'Phiên làm việc không hợp lệ, vui lòng đăng nhập lại.';
    if (status === 403) return 'Bạn không có quyền thực hiện thao tác này.';
    if (status === 404) return 'Không tìm thấy dữ liệu.';
    if (status === 413) return 'Dữ liệu gửi lên quá lớn.';
    if (status === 429) return 'Bạn thao tác quá nhanh, vui lòng thử lại sau ít phút.';
    if (status === 503) return 'Hệ thống đang bận, vui lòng thử lại sau.';
    return 'Có lỗi xảy ra (mã ' + status + '), vui lòng thử lại.';
  }

  /**
   * api(method, path, {body, token, csrf, form, msg, timeout})
   * Resolves with the parsed JSON body; rejects with ApiError whose message is
   * the server's Vietnamese error.message. With `form`, the field named by
   * error.field is highlighted; with `msg`, the message is shown there.
   */
  async function api(method, path, opts) {
    opts = opts || {};
    const headers = { Accept: 'application/json' };
    const init = { method, headers, credentials: 'same-origin', cache: 'no-store' };
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json; charset=utf-8';
      init.body = JSON.stringify(opts.body);
    }
    if (opts.token) headers.Authorization = 'Bearer ' + opts.token;
    if (opts.csrf) headers['X-CSRF-Token'] = opts.csrf;
    if (opts.keepalive) init.keepalive = true;
    let ctrl = null;
    let timer = null;
    if (typeof AbortController !== 'undefined') {
      ctrl = new AbortController();
      init.signal = ctrl.signal;
      timer = setTimeout(() => ctrl.abort(), opts.timeout || 20000);
    }
    if (opts.form) clearFormErrors(opts.form);
    if (opts.msg) showMsg(opts.msg, '');
    let res;
    try {
      res = await fetch(path, init);
    } catch (e) {
      if (timer) clearTimeout(timer);
      const err = new ApiError(0, null, genericMessage(0));
      report(err, opts);
      throw err;
    }
    let body = null;
    try {
      const text = await res.text();
      body = text ? JSON.parse(text) : null;
    } catch (e) {
      body = null;
    } finally {
      if (timer) clearTimeout(timer);
    }
    if (!res.ok) {
      const err = new ApiError(res.status, body, genericMessage(res.status));
      if (res.status === 429) err.retryAfter = Number(res.headers.get('Retry-After')) || null;
      report(err, opts);
      throw err;
    }
    return body;
  }

  function report(err, opts) {
    let shownAtField = false;
    if (opts.form && err.field) shownAtField = showFieldError(opts.form, err.field, err.message);
    if (opts.msg && !shownAtField) showMsg(opts.msg, err.message, 'error');
  }

  function clearFormErrors(form) {
    form.querySelectorAll('.field-error[data-generated]').forEach((n) => n.remove());
    form.querySelectorAll('[aria-invalid="true"]').forEach((n) => {
      n.removeAttribute('aria-invalid');
      const ids = (n.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && !x.endsWith('-err'));
      if (ids.length) n.setAttribute('aria-describedby', ids.join(' '));
      else n.removeAttribute('aria-describedby');
    });
  }

  /** Highlight the form control named `field` and put the message under it. */
  function showFieldError(form, field, message) {
    const input = form.querySelector('[name="' + CSS.escape(field) + '"]');
    if (!input) return false;
    input.setAttribute('aria-invalid', 'true');
    const box = input.closest('.field') || input.parentElement;
    const id = (input.id || ('f-' + field)) + '-err';
    const note = el('div', { class: 'field-error', id, role: 'alert', 'data-generated': true }, message);
    box.appendChild(note);
    const described = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
    described.push(id);
    input.setAttribute('aria-describedby', described.join(' '));
    try { input.focus({ preventScroll: true }); } catch (e) { input.focus(); }
    box.scrollIntoView({ block: 'center', behavior: 'smooth' });
    return true;
  }

  /* ---------- time ---------- */

  const dtFmt = new Intl.DateTimeFormat('vi-VN', {
    timeZone: TZ, hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric',
  });
  const dtFmtLong = new Intl.DateTimeFormat('vi-VN', {
    timeZone: TZ, weekday: 'long', hour: '2-digit', minute: '2-digit', day: '2-digit', month: '2-digit', year: 'numeric',
  });

  function toDate(v) {
    if (v === null || v === undefined || v === '') return null;
    const d = typeof v === 'number' ? new Date(v) : new Date(String(v));
    return isNaN(d.getTime()) ? null : d;
  }

  /** "08:00 20/11/2026" in Vietnam time. */
  function fmtTime(v, long) {
    const d = toDate(v);
    if (!d) return '—';
    return (long ? dtFmtLong : dtFmt).format(d);
  }

  /** 901234 -> "15:01"; over an hour -> "1:02:03". */
  function fmtClock(ms) {
    const total = Math.max(0, Math.ceil(ms / 1000));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const mm = String(m).padStart(2, '0');
    const ss = String(s).padStart(2, '0');
    return h ? h + ':' + mm + ':' + ss : mm + ':' + ss;
  }

  /** 301234 -> "5 phút 1 giây". */
  function fmtDuration(ms) {
    if (ms === null || ms === undefined) return '—';
    const total = Math.round(ms / 1000);
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const parts = [];
    if (h) parts.push(h + ' giờ');
    if (m) parts.push(m + ' phút');
    if (s || !parts.length) parts.push(s + ' giây');
    return parts.join(' ');
  }

  const numFmt = new Intl.NumberFormat('vi-VN');
  function fmtNum(n, digits) {
    if (n === null || n === undefined || isNaN(n)) return '—';
    if (digits === undefined) return numFmt.format(n);
    return new Intl.NumberFormat('vi-VN', { minimumFractionDigits: 0, maximumFractionDigits: digits }).format(n);
  }

  const ROUND_STATUS = { upcoming: 'Sắp mở', open: 'Đang mở', closed: 'Đã kết thúc' };
  const ATTEMPT_STATUS = { open: 'Đang làm bài', submitted: 'Đã nộp bài', expired: 'Hết giờ (đã chấm)' };

  function roundBadge(status) {
    return el('span', { class: 'badge ' + (status || '') }, ROUND_STATUS[status] || status || '');
  }

  /* ---------- storage ---------- */

  function store() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function getToken(contestId) {
    const s = store();
    return s ? s.getItem(TOKEN_PREFIX + contestId) : null;
  }

  function setToken(contestId, token) {
    const s = store();
    if (s) s.setItem(TOKEN_PREFIX + contestId, token);
  }

  function clearToken(contestId) {
    const s = store();
    if (s) s.removeItem(TOKEN_PREFIX + contestId);
  }

  function rememberAttempt(attemptId, contestId) {
    const s = store();
    if (s) s.setItem(ATTEMPT_PREFIX + attemptId, contestId);
  }

  function attemptContest(attemptId) {
    const s = store();
    return s ? s.getItem(ATTEMPT_PREFIX + attemptId) : null;
  }

  /** Every stored token, the one for `preferred` contest first. */
  function allTokens(preferred) {
    const s = store();
    const out = [];
    if (!s) return out;
    if (preferred) {
      const t = s.getItem(TOKEN_PREFIX + preferred);
      if (t) out.push({ contestId: preferred, token: t });
    }
    for (let i = 0; i < s.length; i++) {
      const k = s.key(i);
      if (k && k.startsWith(TOKEN_PREFIX)) {
        const cid = k.slice(TOKEN_PREFIX.length);
        if (cid !== preferred) out.push({ contestId: cid, token: s.getItem(k) });
      }
    }
    return out;
  }

  /**
   * Load an attempt with whichever stored token owns it.
   * Resolves {attempt, token, contestId}; rejects with the last ApiError.
   */
  async function loadAttempt(attemptId) {
    const candidates = allTokens(attemptContest(attemptId));
    if (!candidates.length) {
      throw new ApiError(401, null, 'Thiết bị này chưa đăng ký dự thi. Vui lòng mở trang cuộc thi để đăng ký hoặc tiếp tục trên thiết bị này.');
    }
    let lastErr = null;
    for (const c of candidates) {
      try {
        const attempt = await api('GET', '/api/attempts/' + encodeURIComponent(attemptId), { token: c.token });
        rememberAttempt(attemptId, c.contestId);
        return { attempt, token: c.token, contestId: c.contestId };
      } catch (e) {
        lastErr = e;
        if (e.status !== 401 && e.status !== 403 && e.status !== 404) break;
      }
    }
    throw lastErr;
  }

  window.CCHC = {
    el, append, $, clear, paragraphs, param, showMsg,
    api, ApiError, clearFormErrors, showFieldError,
    fmtTime, fmtClock, fmtDuration, fmtNum, toDate, TZ,
    ROUND_STATUS, ATTEMPT_STATUS, roundBadge,
    getToken, setToken, clearToken, rememberAttempt, attemptContest, allTokens, loadAttempt,
  };
})();
