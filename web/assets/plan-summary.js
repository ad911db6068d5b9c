/* The consolidated report for a period (plan-summary.html?plan=&period=2017-Q1):
 * a printable A4 page and the same figures as an XLSX download. Organisers only. */
(function () {
  'use strict';
  const C = window.CCHC;
  const P = window.PLAN;
  const { el, $, clear, api, showMsg, fmtNum } = C;

  let planId = null;
  let plan = null;

  function period() {
    const y = $('#p-year').value;
    const part = $('#p-part').value;
    return part ? y + '-' + part : y;
  }

  function num(v) { return v === null || v === undefined ? '—' : fmtNum(v); }

  function render(s) {
    const t = s.totals;
    $('#place').textContent = 'Nghệ An, ngày ' + P.fmtDay(P.today()).replace(/^(\d+)\/(\d+)\/(\d+)$/, '$1 tháng $2 năm $3');
    $('#doc-sub').textContent = 'Kết quả thực hiện Kế hoạch số ' + s.plan.number + ' ngày ' + P.fmtDay(s.plan.date) +
      ' của ' + s.plan.issuer + ' về ' + s.plan.title.charAt(0).toLowerCase() + s.plan.title.slice(1) +
      ' — ' + s.period.label + ' (từ ' + P.fmtDay(s.period.from) + ' đến ' + P.fmtDay(s.period.to) + ')';
    $('#overview').textContent = 'Tính đến ngày ' + P.fmtDay(s.as_of) + ', ' + fmtNum(s.agencies.length) +
      ' cơ quan, đơn vị được giao ' + fmtNum(t.tasks) + ' nhiệm vụ: ' + fmtNum(t.done) + ' nhiệm vụ hoàn thành, ' +
      fmtNum(t.in_progress) + ' đang thực hiện, ' + fmtNum(t.not_started) + ' chưa triển khai, ' + fmtNum(t.overdue) +
      ' quá hạn. Trong kỳ, các đơn vị gửi ' + fmtNum(t.reports) + ' báo cáo với ' + fmtNum(t.articles) + ' tin, bài; ' +
      fmtNum(t.broadcast_minutes) + ' phút phát sóng; ' + fmtNum(t.conferences) + ' hội nghị, tập huấn với ' +
      fmtNum(t.participants) + ' lượt người tham dự. Cuộc thi tìm hiểu về cải cách hành chính có ' +
      fmtNum(t.contest_participants) + ' người dự thi của các cơ quan, đơn vị, ' + fmtNum(t.contest_finished_attempts) +
      ' lượt thi hoàn thành.';
    const body = clear($('#by-agency tbody'));
    const kinds = {};
    (s.agency_kinds || []).forEach((k) => { kinds[k.id] = k.name; });
    let kind = null;
    let stt = 0;
    s.agencies.forEach((a) => {
      if (a.kind !== kind) {
        kind = a.kind;
        body.appendChild(el('tr', { class: 'kind-row' }, el('th', { colspan: 16, scope: 'rowgroup' }, kinds[kind] || kind)));
      }
      const c = a.contest || {};
      body.appendChild(el('tr', { dataset: { agency: a.id } },
        el('td', { class: 'num' }, String(++stt)),
        el('td', null, a.name),
        el('td', { class: 'num' }, num(a.tasks)),
        el('td', { class: 'num' }, num(a.done)),
        el('td', { class: 'num' }, num(a.in_progress)),
        el('td', { class: 'num' }, num(a.not_started)),
        el('td', { class: 'num' }, num(a.overdue)),
        el('td', { class: 'num' }, num(a.reports)),
        el('td', { class: 'num' }, num(a.figures.articles)),
        el('td', { class: 'num' }, num(a.figures.broadcast_minutes)),
        el('td', { class: 'num' }, num(a.figures.conferences)),
        el('td', { class: 'num' }, num(a.figures.participants)),
        el('td', { class: 'num' }, num(c.participants)),
        el('td', { class: 'num' }, num(c.finished_attempts)),
        el('td', { class: 'num' }, P.pct(c.participation_rate)),
        el('td', { class: 'num' }, c.average_score === undefined ? '—' : fmtNum(c.average_score, 2))));
    });
    body.appendChild(el('tr', { class: 'total' },
      el('td', null, ''), el('td', null, 'Tổng cộng'),
      el('td', { class: 'num' }, num(t.tasks)), el('td', { class: 'num' }, num(t.done)),
      el('td', { class: 'num' }, num(t.in_progress)), el('td', { class: 'num' }, num(t.not_started)),
      el('td', { class: 'num' }, num(t.overdue)),
      el('td', { class: 'num' }, num(t.reports)), el('td', { class: 'num' }, num(t.articles)),
      el('td', { class: 'num' }, num(t.broadcast_minutes)), el('td', { class: 'num' }, num(t.conferences)),
      el('td', { class: 'num' }, num(t.participants)), el('td', { class: 'num' }, num(t.contest_participants)),
      el('td', { class: 'num' }, num(t.contest_finished_attempts)), el('td', null, ''), el('td', null, '')));
    const od = clear($('#overdue'));
    const late = s.tasks.filter((x) => x.status === 'overdue');
    if (!late.length) {
      od.appendChild(el('p', null, 'Không có nhiệm vụ quá hạn.'));
      return;
    }
    // one row per task as written in the plan, with the agencies late on it
    const groups = new Map();
    late.forEach((x) => {
      if (!groups.has(x.source)) groups.set(x.source, []);
      groups.get(x.source).push(x);
    });
    const rows = [];
    groups.forEach((list) => {
      const x = list[0];
      const since = list.map((y) => y.overdue_since).sort()[0];
      rows.push(el('tr', { dataset: { source: x.source } },
        el('td', { class: 'num' }, String(rows.length + 1)),
        el('td', null, x.section),
        el('td', null, x.text),
        el('td', null, x.frequency_label),
        el('td', null, list.length > 1 ? list.length + ' cơ quan, đơn vị: ' + list.map((y) => y.agency.name).join(', ') : x.agency.name),
        el('td', null, P.fmtDay(since))));
    });
    od.appendChild(el('div', { class: 'table-wrap' }, el('table', { id: 'overdue-table' },
      el('thead', null, el('tr', null, el('th', null, 'STT'), el('th', null, 'Mục'), el('th', { class: 'col-text' }, 'Nhiệm vụ'),
        el('th', null, 'Tần suất'), el('th', { class: 'col-name' }, 'Cơ quan chủ trì chưa hoàn thành'), el('th', null, 'Quá hạn từ'))),
      el('tbody', null, rows))));
  }

  async function load() {
    const p = period();
    const qs = '?period=' + encodeURIComponent(p);
    const base = '/api/plan/plans/' + encodeURIComponent(planId);
    $('#xlsx').href = base + '/summary.xlsx' + qs;
    const url = new URLSearchParams(location.search);
    url.set('plan', planId);
    url.set('period', p);
    history.replaceState(null, '', '?' + url.toString());
    const s = await api('GET', base + '/summary' + qs);
    document.title = 'Báo cáo ' + s.period.label + ' — Kế hoạch ' + s.plan.number;
    render(s);
    $('#doc').classList.remove('hidden');
  }

  async function init() {
    const msg = $('#msg');
    const me = await P.session(msg);
    if (!me) { $('#loading').remove(); $('#period-form').classList.add('hidden'); return; }
    try {
      planId = await P.planId();
      if (!planId) throw new C.ApiError(404, null, 'Chưa có kế hoạch nào.');
      const list = await api('GET', '/api/plan/plans');
      plan = list.plans.find((x) => x.id === planId) || list.plans[0];
    } catch (e) {
      $('#loading').remove();
      showMsg(msg, e.message, 'error');
      return;
    }
    $('#home-link').href = 'plan.html?plan=' + encodeURIComponent(planId);
    const ysel = $('#p-year');
    const y0 = Number(plan.period.start.slice(0, 4));
    const y1 = Number(plan.period.end.slice(0, 4));
    for (let y = y0; y <= y1; y++) ysel.appendChild(el('option', { value: String(y) }, String(y)));
    const want = C.param('period');
    const m = want && /^(\d{4})(?:-(Q[1-4]|H[12]))?$/.exec(want);
    if (m && Number(m[1]) >= y0 && Number(m[1]) <= y1) {
      ysel.value = m[1];
      $('#p-part').value = m[2] || '';
    }
    $('#period-form').addEventListener('submit', async (ev) => {
      ev.preventDefault();
      try { await load(); } catch (e) { showMsg(msg, e.message, 'error'); }
    });
    $('#print').addEventListener('click', () => window.print());
    try {
      await load();
    } catch (e) {
      showMsg(msg, e.message, 'error');
    }
    $('#loading').remove();
  }

  init();
})();
