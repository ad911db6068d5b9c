/* Helpers shared by the plan-tracking pages (plan*.html). Exposes PLAN.
 * Staff log in on staff.html (?next= brings them back); the session is the
 * HttpOnly cookie, the CSRF token comes from GET /api/auth/me. */
(function () {
  'use strict';
  const C = window.CCHC;
  const { el } = C;

  const STATUS = {
    overdue: 'Quá hạn',
    in_progress: 'Đang thực hiện',
    not_started: 'Chưa triển khai',
    done: 'Hoàn thành',
  };
  const STATUS_ORDER = ['overdue', 'in_progress', 'not_started', 'done'];
  const FIGURES = {
    articles: 'Tin, bài đã đăng',
    broadcast_minutes: 'Thời lượng phát sóng (phút)',
    conferences: 'Hội nghị, tập huấn',
    participants: 'Lượt người tham dự',
  };
  const ROLES = { admin: 'Quản trị hệ thống', organiser: 'Ban tổ chức (Sở Nội vụ)', judge: 'Giám khảo', reporter: 'Cán bộ báo cáo của đơn vị' };

  /** "2017-03-31" -> "31/03/2017" */
  function fmtDay(s) {
    if (!s) return '—';
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    return m ? m[3] + '/' + m[2] + '/' + m[1] : s;
  }

  /** Today in Vietnam as "YYYY-MM-DD". */
  function today() {
    const parts = new Intl.DateTimeFormat('en-CA', { timeZone: C.TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
    return parts;
  }

  /** The reporting period holding day ("2017-02-28"): "tháng 02/2017", "quý I/2017", "năm 2017". */
  function periodLabel(freq, day) {
    const m = /^(\d{4})-(\d{2})/.exec(day || '');
    if (!m) return '';
    if (freq === 'monthly') return 'tháng ' + m[2] + '/' + m[1];
    if (freq === 'quarterly') return 'quý ' + ['I', 'II', 'III', 'IV'][Math.floor((Number(m[2]) - 1) / 3)] + '/' + m[1];
    if (freq === 'yearly') return 'năm ' + m[1];
    return fmtDay(day);
  }

  function statusBadge(status) {
    return el('span', { class: 'badge st-' + status }, STATUS[status] || status);
  }

  function pct(v) {
    return v === null || v === undefined ? '—' : C.fmtNum(v * 100, 1) + '%';
  }

  function loginUrl() {
    return 'staff.html?next=' + encodeURIComponent(location.pathname.replace(/^\//, '') + location.search);
  }

  /** The staff session ({username, role, csrf_token, agency}) or null when not logged in. */
  async function session(msg) {
    try {
      return await C.api('GET', '/api/auth/me');
    } catch (e) {
      if (e.status === 401) {
        C.clear(msg);
        msg.className = 'msg warn';
        msg.append('Vui lòng ', el('a', { href: loginUrl(), id: 'login-link' }, 'đăng nhập'), ' để xem trang này.');
        return null;
      }
      C.showMsg(msg, e.message, 'error');
      return null;
    }
  }

  /** The plan to show: ?plan= or the first (newest) plan. */
  async function planId() {
    const want = C.param('plan');
    if (want) return want;
    const list = await C.api('GET', '/api/plan/plans');
    return list.plans.length ? list.plans[0].id : null;
  }

  /** A stacked bar of status counts {done, in_progress, not_started, overdue, total}. */
  function stackBar(counts) {
    const total = counts.total || 0;
    const bar = el('div', { class: 'stack-bar', role: 'img', 'aria-label': STATUS_ORDER.map((s) => STATUS[s] + ' ' + (counts[s] || 0)).join(', ') });
    ['done', 'in_progress', 'not_started', 'overdue'].forEach((s) => {
      if (!counts[s] || !total) return;
      const seg = el('span', { class: 'seg-' + s, title: STATUS[s] + ': ' + counts[s] });
      seg.style.width = (100 * counts[s] / total) + '%';
      bar.appendChild(seg);
    });
    return bar;
  }

  function legend() {
    return el('ul', { class: 'legend' }, ['done', 'in_progress', 'not_started', 'overdue'].map((s) =>
      el('li', null, el('i', { class: 'seg-' + s }), STATUS[s])));
  }

  /** Figures of a report as a list ("Tin, bài đã đăng: 3"); null when none. */
  function figureList(figs) {
    const items = Object.keys(FIGURES).filter((k) => figs && figs[k] !== null && figs[k] !== undefined)
      .map((k) => el('li', null, FIGURES[k] + ': ', el('b', null, C.fmtNum(figs[k]))));
    return items.length ? el('ul', { class: 'figs' }, items) : null;
  }

  function planLine(plan) {
    return 'Kế hoạch số ' + plan.number + ' ngày ' + fmtDay(plan.date) + ' của ' + plan.issuer;
  }

  window.PLAN = { STATUS, STATUS_ORDER, FIGURES, ROLES, fmtDay, today, periodLabel, statusBadge, pct, loginUrl, session, planId, stackBar, legend, figureList, planLine };
})();
