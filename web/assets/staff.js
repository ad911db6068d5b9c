/* Staff login (staff.html). The session is an HttpOnly cookie; the CSRF token
 * returned by login is kept in sessionStorage for state-changing requests. */
(function () {
  'use strict';
  const C = window.CCHC;
  const { el, $, clear, api, showMsg, showFieldError, clearFormErrors } = C;
  const CSRF_KEY = 'cchc.staff.csrf';

  const ROLES = { admin: 'Quản trị hệ thống', organiser: 'Ban tổ chức', judge: 'Giám khảo', reporter: 'Cán bộ báo cáo của đơn vị' };

  /** ?next= of the plan pages: only a page of this site ("plan.html?x=y"). */
  function nextPage() {
    const n = C.param('next');
    return n && /^[a-z0-9-]+\.html(\?[^\s\\]*)?$/.test(n) ? n : null;
  }

  function csrf() { try { return sessionStorage.getItem(CSRF_KEY); } catch (e) { return null; } }
  function setCsrf(v) { try { if (v) sessionStorage.setItem(CSRF_KEY, v); else sessionStorage.removeItem(CSRF_KEY); } catch (e) { /* ignore */ } }

  /** Accepts {user:{username,role}}, {username,role} or {role}. */
  function userOf(data) {
    const u = (data && (data.user || data.staff)) || data || {};
    return { username: u.username || u.login || u.name || '', role: u.role || (data && data.role) || '' };
  }

  function showUser(u) {
    $('#login').classList.add('hidden');
    $('#who').classList.remove('hidden');
    const info = clear($('#who-info'));
    const row = (k, v) => el('div', null, el('dt', null, k + ': '), el('dd', null, v));
    if (u.username) info.appendChild(row('Tên đăng nhập', u.username));
    info.appendChild(el('div', null, el('dt', null, 'Vai trò: '), el('dd', { id: 'role' }, ROLES[u.role] || u.role || 'không rõ')));
    if (u.role === 'organiser' || u.role === 'admin') {
      info.appendChild(el('div', null, el('a', { id: 'organiser-link', href: 'organiser.html' }, 'Bảng điều khiển Ban Tổ chức (cuộc thi, người dự thi, nhật ký)')));
    }
    if (u.role === 'judge' || u.role === 'organiser' || u.role === 'admin') {
      info.appendChild(el('div', null, el('a', { id: 'judge-link', href: 'judge.html' }, 'Bảng điều khiển Ban Giám khảo (bảng xếp hạng trực tiếp, giải thưởng, xuất Excel)')));
    }
    if (u.role === 'organiser' || u.role === 'admin' || u.role === 'reporter') {
      info.appendChild(el('div', null, el('a', { id: 'plan-link', href: u.role === 'reporter' ? 'plan-agency.html' : 'plan.html' },
        u.role === 'reporter' ? 'Nhiệm vụ và báo cáo tiến độ của đơn vị' : 'Theo dõi kế hoạch tuyên truyền cải cách hành chính')));
    }
  }

  function showLogin() {
    $('#who').classList.add('hidden');
    $('#login').classList.remove('hidden');
  }

  async function init() {
    $('#login-form').addEventListener('submit', onLogin);
    $('#logout').addEventListener('click', onLogout);
    try {
      const data = await api('GET', '/api/auth/me');
      const c = data && (data.csrf_token || data.csrf);
      if (c) setCsrf(c);
      showUser(userOf(data));
    } catch (e) {
      if (e.status !== 401 && e.status !== 403) showMsg($('#msg'), e.message, 'error');
      showLogin();
    }
  }

  async function onLogin(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    const msg = $('#login-msg');
    clearFormErrors(form);
    showMsg(msg, '');
    const username = form.elements.username.value.trim();
    const password = form.elements.password.value;
    if (!username) { showFieldError(form, 'username', 'Vui lòng nhập tên đăng nhập.'); return; }
    if (!password) { showFieldError(form, 'password', 'Vui lòng nhập mật khẩu.'); return; }
    const btn = form.querySelector('button[type=submit]');
    btn.disabled = true;
    try {
      const data = await api('POST', '/api/auth/login', { body: { username, password }, form, msg });
      setCsrf(data && (data.csrf_token || data.csrf));
      form.reset();
      if (nextPage()) { location.assign(nextPage()); return; }
      showMsg($('#msg'), 'Đăng nhập thành công.', 'ok');
      showUser(userOf(data));
    } catch (e) {
      if (e.status === 401 && !e.field) showMsg(msg, e.body ? e.message : 'Tên đăng nhập hoặc mật khẩu không đúng.', 'error');
    } finally {
      btn.disabled = false;
    }
  }

  async function onLogout() {
    try {
      await api('POST', '/api/auth/logout', { csrf: csrf() || undefined });
    } catch (e) {
      if (e.status !== 401) { showMsg($('#msg'), e.message, 'error'); return; }
    }
    setCsrf(null);
    showMsg($('#msg'), 'Đã đăng xuất.', 'ok');
    showLogin();
  }

  init();
})();
