/* An agency's page (plan-agency.html?plan=&agency=): its tasks with status,
 * its progress reports with the organisers' comments, its contest figures.
 * A reporter sees only its own agency; organisers may comment on reports. */
(function () {
  'use strict';
  const C = window.CCHC;
  const P = window.PLAN;
  const { el, $, clear, api, showMsg, fmtNum } = C;

  let me = null;
  let planId = null;
  let agencyId = null;
  let data = null;

  const canReport = () => me.role !== 'reporter' || me.agency === agencyId;
  const canComment = () => me.role === 'organiser' || me.role === 'admin';

  function reportLink(taskId, label, cls) {
    return el('a', { class: 'btn ' + (cls || ''), href: 'plan-report.html?plan=' + encodeURIComponent(planId) + '&task=' + taskId }, label);
  }

  function renderTiles() {
    const t = clear($('#tiles'));
    P.STATUS_ORDER.forEach((s) => t.appendChild(el('div', { class: 'tile st-' + s },
      el('span', { class: 'n' }, fmtNum(data.counts[s] || 0)), el('span', { class: 'l' }, P.STATUS[s]))));
  }

  function renderContest() {
    const box = clear($('#contest'));
    const rows = [];
    data.contests.forEach((c) => c.agencies.forEach((u) => rows.push({ c, u })));
    $('#contest-box').classList.toggle('hidden', !data.contests.length);
    if (!rows.length) {
      box.appendChild(el('p', { class: 'muted' }, 'Đơn vị không có trong danh sách đơn vị của cuộc thi gắn với kế hoạch.'));
      return;
    }
    rows.forEach(({ c, u }) => {
      box.appendChild(el('dl', { class: 'meta', dataset: { contest: c.id } },
        el('div', null, el('dt', null, 'Cuộc thi: '), el('dd', null, c.title || c.id)),
        el('div', null, el('dt', null, 'Người dự thi: '), el('dd', { class: 'participants' }, fmtNum(u.participants)),
          u.headcount ? ' / ' + fmtNum(u.headcount) + ' biên chế' : ''),
        el('div', null, el('dt', null, 'Tỉ lệ tham gia: '), el('dd', null, P.pct(u.participation_rate))),
        el('div', null, el('dt', null, 'Lượt thi hoàn thành: '), el('dd', { class: 'finished' }, fmtNum(u.finished_attempts))),
        el('div', null, el('dt', null, 'Điểm trung bình: '), el('dd', null, fmtNum(u.average_score, 2)))));
    });
  }

  function dueText(t) {
    if (t.frequency === 'once') return 'Hạn: ' + P.fmtDay(t.due);
    return t.frequency_label + ', từ ' + P.fmtDay(t.start) + ' đến ' + P.fmtDay(t.due) +
      (t.next_due ? '; kỳ đang theo dõi: ' + P.periodLabel(t.frequency, t.next_due) : '');
  }

  function renderTasks() {
    const box = clear($('#tasks'));
    if (!data.tasks.length) {
      box.appendChild(el('p', { class: 'card muted' }, 'Đơn vị không chủ trì nhiệm vụ nào của kế hoạch.'));
      return;
    }
    data.tasks.forEach((t) => {
      const facts = [dueText(t), t.reports + ' báo cáo'];
      if (t.status === 'overdue' && t.overdue_since) facts.push('quá hạn từ ' + P.fmtDay(t.overdue_since));
      if (t.periods_missed) facts.push(t.periods_missed + ' kỳ chưa báo cáo');
      if (t.done_on) facts.push('hoàn thành ngày ' + P.fmtDay(t.done_on));
      const coord = t.coordinating.length
        ? el('p', { class: 'small muted' }, 'Phối hợp: ' + (t.coordinating.length > 6
          ? t.coordinating.slice(0, 6).map((a) => a.name).join(', ') + ' và ' + (t.coordinating.length - 6) + ' đơn vị khác'
          : t.coordinating.map((a) => a.name).join(', ')))
        : null;
      box.appendChild(el('article', { class: 'card task-card st-' + t.status, dataset: { task: t.id } },
        el('div', { class: 'row-head' }, el('h3', null, 'Mục ' + t.section), P.statusBadge(t.status)),
        el('p', null, t.text),
        el('p', { class: 'meta' }, facts.join(' · ')),
        coord,
        canReport() ? el('div', { class: 'actions' }, reportLink(t.id, 'Báo cáo tiến độ', 'secondary')) : null));
    });
  }

  function renderCoord() {
    const list = clear($('#coord'));
    $('#coord-box').classList.toggle('hidden', !data.coordinating.length);
    data.coordinating.forEach((t) => list.appendChild(el('li', null,
      el('div', { class: 'row-head' }, el('span', null, el('b', null, t.agency.name), ' chủ trì — mục ' + t.section), P.statusBadge(t.status)),
      el('p', { class: 'small' }, t.text))));
  }

  function commentForm(report) {
    const form = el('form', { class: 'comment-form', novalidate: true },
      el('label', { class: 'sr-only', for: 'c-' + report.id }, 'Ý kiến của Sở Nội vụ'),
      el('textarea', { id: 'c-' + report.id, name: 'text', rows: 1, maxlength: 2000, placeholder: 'Ý kiến, nhận xét…' }),
      el('button', { type: 'submit', class: 'secondary' }, 'Gửi ý kiến'));
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      const text = form.elements.text.value.trim();
      if (!text) { C.showFieldError(form, 'text', 'Vui lòng nhập ý kiến.'); return; }
      const btn = form.querySelector('button');
      btn.disabled = true;
      try {
        await api('POST', '/api/plan/reports/' + report.id + '/comments', { body: { text }, csrf: me.csrf_token, form });
        await load();
      } catch (e) {
        if (!e.field) showMsg($('#msg'), e.message, 'error');
      } finally {
        btn.disabled = false;
      }
    });
    return form;
  }

  function renderReports() {
    const box = clear($('#reports'));
    if (!data.reports.length) {
      box.appendChild(el('p', { class: 'muted' }, 'Chưa có báo cáo nào.'));
      return;
    }
    const taskOf = (id) => data.tasks.find((t) => t.id === id);
    data.reports.forEach((r) => {
      const t = taskOf(r.task_id);
      const ev = r.evidence.length ? el('p', { class: 'small' }, 'Minh chứng: ',
        r.evidence.map((u, i) => [i ? ', ' : '', el('a', { href: u, rel: 'noopener noreferrer', target: '_blank' }, u)])) : null;
      box.appendChild(el('div', { class: 'report', dataset: { report: r.id } },
        el('div', { class: 'row-head' }, el('b', null, 'Ngày ' + P.fmtDay(r.date)),
          r.done ? el('span', { class: 'badge st-done' }, 'Báo cáo hoàn thành') : null),
        t ? el('p', { class: 'small muted' }, 'Mục ' + t.section + ': ' + (t.text.length > 140 ? t.text.slice(0, 140) + '…' : t.text)) : null,
        el('p', { class: 'report-text' }, r.text),
        P.figureList(r.figures),
        ev,
        el('p', { class: 'small muted' }, 'Người gửi: ' + r.author + ' · ' + C.fmtTime(r.created_at)),
        r.comments.map((c) => el('div', { class: 'comment' }, el('b', null, c.author + ': '), c.text,
          el('span', { class: 'sub small muted' }, ' ' + C.fmtTime(c.created_at)))),
        canComment() ? commentForm(r) : null));
    });
  }

  async function load() {
    data = await api('GET', '/api/plan/plans/' + encodeURIComponent(planId) + '/agencies/' + encodeURIComponent(agencyId));
    $('#title').textContent = data.agency.name;
    $('#plan-line').textContent = P.planLine(data.plan) + ' — tình trạng tính đến ngày ' + P.fmtDay(data.as_of);
    document.title = data.agency.name + ' — Theo dõi Kế hoạch ' + data.plan.number;
    renderTiles();
    renderContest();
    renderTasks();
    renderCoord();
    renderReports();
  }

  async function init() {
    const msg = $('#msg');
    me = await P.session(msg);
    if (!me) { $('#loading').remove(); return; }
    agencyId = C.param('agency') || (me.role === 'reporter' ? me.agency : null);
    try {
      planId = await P.planId();
      if (!planId || !agencyId) throw new C.ApiError(404, null, !planId ? 'Chưa có kế hoạch nào.' : 'Thiếu mã cơ quan, đơn vị trong đường dẫn.');
      await load();
    } catch (e) {
      $('#loading').remove();
      showMsg(msg, e.message, 'error');
      return;
    }
    if (me.role === 'reporter') $('#home-link').href = 'plan-agency.html?agency=' + encodeURIComponent(me.agency);
    else $('#home-link').href = 'plan.html?plan=' + encodeURIComponent(planId);
    const actions = clear($('#actions'));
    if (canReport() && data.tasks.length) actions.appendChild(el('a', { class: 'btn', id: 'new-report', href: 'plan-report.html?plan=' + encodeURIComponent(planId) + '&agency=' + encodeURIComponent(agencyId) }, 'Gửi báo cáo tiến độ'));
    if (me.role !== 'reporter') actions.appendChild(el('a', { class: 'btn secondary', href: 'plan.html?plan=' + encodeURIComponent(planId) }, 'Về bảng theo dõi chung'));
    $('#loading').remove();
    $('#page').classList.remove('hidden');
  }

  init();
})();
