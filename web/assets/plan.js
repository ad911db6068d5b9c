/* The plan dashboard (plan.html?plan=&as_of=): tasks by agency and status,
 * overdue first, progress over time, linked contests and content coverage.
 * For organisers; a reporter is sent to its agency's page. */
(function () {
  'use strict';
  const C = window.CCHC;
  const P = window.PLAN;
  const { el, $, clear, api, showMsg, fmtNum } = C;

  let data = null;
  let planId = null;

  function kindName(id) {
    const k = (data.agency_kinds || []).find((x) => x.id === id);
    return k ? k.name : id;
  }

  function agencyKind(id) {
    const a = data.agencies.find((x) => x.id === id);
    return a ? a.kind : '';
  }

  function agencyLink(a) {
    return el('a', { href: 'plan-agency.html?plan=' + encodeURIComponent(planId) + '&agency=' + encodeURIComponent(a.id) }, a.name);
  }

  function renderTiles() {
    const t = clear($('#tiles'));
    P.STATUS_ORDER.forEach((s) => {
      t.appendChild(el('div', { class: 'tile st-' + s, id: 'tile-' + s },
        el('span', { class: 'n' }, fmtNum(data.counts[s] || 0)),
        el('span', { class: 'l' }, P.STATUS[s] + ' / ' + fmtNum(data.counts.total) + ' nhiệm vụ')));
    });
  }

  function renderChart() {
    const chart = clear($('#chart'));
    const months = data.timeline || [];
    if (!months.length) {
      chart.appendChild(el('p', { class: 'muted' }, 'Kế hoạch chưa bắt đầu vào ngày đã chọn.'));
      return;
    }
    months.forEach((m) => {
      const bar = el('div', { class: 'bar', role: 'img',
        'aria-label': 'Tháng ' + m.month.slice(5) + '/' + m.month.slice(0, 4) + ': ' +
          P.STATUS_ORDER.map((s) => P.STATUS[s] + ' ' + m[s]).join(', ') });
      ['done', 'in_progress', 'not_started', 'overdue'].forEach((s) => {
        if (!m[s]) return;
        const seg = el('span', { class: 'seg-' + s, title: P.STATUS[s] + ': ' + m[s] });
        seg.style.height = (100 * m[s] / (m.total || 1)) + '%';
        bar.appendChild(seg);
      });
      chart.appendChild(el('div', { class: 'col' }, bar,
        el('span', { class: 'cap' }, m.month.slice(5) + '/' + m.month.slice(2, 4)),
        el('span', { class: 'rep', title: 'Số báo cáo trong tháng' }, fmtNum(m.reports))));
    });
    clear($('#chart-legend')).appendChild(P.legend());
  }

  function dueText(t) {
    if (t.frequency === 'once') return P.fmtDay(t.due);
    return t.next_due ? 'kỳ đang theo dõi: ' + P.periodLabel(t.frequency, t.next_due) : 'đến ' + P.fmtDay(t.due);
  }

  /* One row per task as written in the plan; a task given to many agencies
   * ("all departments") shows one status chip per agency. Rows keep the
   * server's order: overdue first. */
  function renderTasks() {
    const body = clear($('#tasks tbody'));
    const fs = $('#f-status').value;
    const fk = $('#f-kind').value;
    const groups = new Map();
    data.tasks.forEach((t) => {
      if (fs && t.status !== fs) return;
      if (fk && agencyKind(t.agency.id) !== fk) return;
      if (!groups.has(t.source)) groups.set(t.source, []);
      groups.get(t.source).push(t);
    });
    groups.forEach((list) => {
      const t = list[0];
      const counts = {};
      list.forEach((x) => { counts[x.status] = (counts[x.status] || 0) + 1; });
      const statusCell = list.length === 1
        ? [P.statusBadge(t.status), t.status === 'overdue' && t.overdue_since ? el('span', { class: 'sub' }, 'quá hạn từ ' + P.fmtDay(t.overdue_since)) : null]
        : P.STATUS_ORDER.filter((s) => counts[s]).map((s) => el('div', null, el('span', { class: 'badge st-' + s }, counts[s] + ' ' + P.STATUS[s].toLowerCase())));
      const who = list.length === 1
        ? el('span', { class: 'chip-one', dataset: { task: t.id } }, agencyLink(t.agency))
        : el('details', { class: 'chips' }, el('summary', null, list.length + ' cơ quan, đơn vị'),
          el('ul', { class: 'chip-list' }, list.map((x) => el('li', { class: 'chip st-' + x.status, dataset: { task: x.id }, title: P.STATUS[x.status] },
            agencyLink(x.agency)))));
      const reports = list.reduce((n, x) => n + x.reports, 0);
      body.appendChild(el('tr', { class: counts.overdue ? 'row-overdue' : null, dataset: { source: t.source } },
        el('td', { class: 'status', 'data-label': 'Trạng thái' }, statusCell),
        el('td', { 'data-label': 'Chủ trì' }, who),
        el('td', { 'data-label': 'Mục' }, t.section),
        el('td', { class: 'task-text', 'data-label': 'Nhiệm vụ' }, t.text),
        el('td', { 'data-label': 'Tần suất' }, t.frequency_label),
        el('td', { 'data-label': 'Hạn' }, dueText(t)),
        el('td', { class: 'num', 'data-label': 'Báo cáo' }, fmtNum(reports))));
    });
    $('#tasks-empty').classList.toggle('hidden', groups.size > 0);
  }

  function renderAgencies() {
    const body = clear($('#agencies tbody'));
    const fk = $('#f-kind').value;
    let kind = null;
    data.agencies.forEach((a) => {
      if (!a.counts.total) return;
      if (fk && a.kind !== fk) return;
      if (a.kind !== kind) {
        kind = a.kind;
        body.appendChild(el('tr', { class: 'block-row kind-row' }, el('th', { colspan: 7, scope: 'rowgroup' }, kindName(kind))));
      }
      const c = a.counts;
      body.appendChild(el('tr', { dataset: { agency: a.id } },
        el('th', { class: 'unit-name', scope: 'row' }, agencyLink(a)),
        el('td', { class: 'num', 'data-label': 'Nhiệm vụ' }, fmtNum(c.total)),
        el('td', { class: 'num', 'data-label': 'Hoàn thành' }, fmtNum(c.done)),
        el('td', { class: 'num', 'data-label': 'Đang thực hiện' }, fmtNum(c.in_progress)),
        el('td', { class: 'num', 'data-label': 'Chưa triển khai' }, fmtNum(c.not_started)),
        el('td', { class: 'num', 'data-label': 'Quá hạn' }, c.overdue ? el('b', { class: 'uncovered' }, fmtNum(c.overdue)) : '0'),
        el('td', { 'data-label': 'Tiến độ' }, P.stackBar(c))));
    });
  }

  function renderContests() {
    const box = clear($('#contests'));
    if (!data.contests.length) {
      box.appendChild(el('p', { class: 'muted' }, 'Chưa có nhiệm vụ nào gắn với cuộc thi.'));
      return;
    }
    data.contests.forEach((c) => {
      box.appendChild(el('h3', null, c.title || c.id));
      if (!c.found) {
        box.appendChild(el('p', { class: 'muted' }, 'Chưa có cuộc thi mã "' + c.id + '" trên hệ thống.'));
        return;
      }
      const rows = c.agencies.map((u) => el('tr', { dataset: { agency: u.agency } },
        el('th', { class: 'unit-name', scope: 'row' }, u.agency_name),
        el('td', { class: 'num', 'data-label': 'Biên chế' }, fmtNum(u.headcount)),
        el('td', { class: 'num', 'data-label': 'Người dự thi' }, fmtNum(u.participants)),
        el('td', { class: 'num', 'data-label': 'Lượt thi hoàn thành' }, fmtNum(u.finished_attempts)),
        el('td', { class: 'num', 'data-label': 'Tỉ lệ tham gia' }, P.pct(u.participation_rate)),
        el('td', { class: 'num', 'data-label': 'Điểm trung bình' }, fmtNum(u.average_score, 2))));
      box.appendChild(el('div', { class: 'table-wrap' }, el('table', { class: 'stack contest-figures', dataset: { contest: c.id } },
        el('thead', null, el('tr', null, el('th', null, 'Cơ quan, đơn vị'), el('th', { class: 'num' }, 'Biên chế'),
          el('th', { class: 'num' }, 'Người dự thi'), el('th', { class: 'num' }, 'Lượt thi hoàn thành'),
          el('th', { class: 'num' }, 'Tỉ lệ tham gia'), el('th', { class: 'num' }, 'Điểm trung bình'))),
        el('tbody', null, rows))));
      box.appendChild(el('p', { class: 'small' }, el('a', { href: 'leaderboard.html?contest=' + encodeURIComponent(c.id) + '&tab=units' }, 'Xem bảng xếp hạng của cuộc thi')));
    });
  }

  const KIND_LABEL = { document: 'Văn bản', area: 'Lĩnh vực CCHC', topic: 'Chủ đề trọng tâm' };

  async function renderCoverage() {
    const box = clear($('#coverage'));
    let cov;
    try {
      cov = await api('GET', '/api/plan/plans/' + encodeURIComponent(planId) + '/coverage');
    } catch (e) {
      box.appendChild(el('p', { class: 'msg error' }, e.message));
      return;
    }
    const un = cov.uncovered.length;
    box.appendChild(el('p', { id: 'coverage-summary' }, fmtNum(cov.questions) + ' câu hỏi; ',
      un ? el('span', { class: 'uncovered' }, un + ' nội dung chưa có câu hỏi nào') : el('span', { class: 'covered' }, 'mọi nội dung đều có câu hỏi')));
    const rows = cov.items.map((it) => el('tr', { dataset: { item: it.id } },
      el('td', { class: 'nowrap', 'data-label': 'Loại' }, KIND_LABEL[it.kind] || it.kind),
      el('th', { class: 'unit-name', scope: 'row' }, it.title),
      el('td', { class: 'num', 'data-label': 'Số câu hỏi' }, it.questions ? fmtNum(it.questions) : el('span', { class: 'uncovered' }, 'chưa có'))));
    box.appendChild(el('div', { class: 'table-wrap' }, el('table', { class: 'stack', id: 'coverage-table' },
      el('thead', null, el('tr', null, el('th', null, 'Loại'), el('th', null, 'Nội dung'), el('th', { class: 'num' }, 'Số câu hỏi'))),
      el('tbody', null, rows))));
  }

  function renderAll() {
    renderTiles();
    renderChart();
    renderTasks();
    renderAgencies();
    renderContests();
  }

  async function load() {
    const asOf = $('#as-of').value;
    const q = asOf ? '?as_of=' + encodeURIComponent(asOf) : '';
    data = await api('GET', '/api/plan/plans/' + encodeURIComponent(planId) + q);
    $('#title').textContent = 'Theo dõi thực hiện Kế hoạch ' + data.number;
    $('#plan-line').textContent = P.planLine(data) + ' về ' + data.title.charAt(0).toLowerCase() + data.title.slice(1) + '.';
    document.title = 'Theo dõi Kế hoạch ' + data.number;
    renderAll();
  }

  async function init() {
    const msg = $('#msg');
    const me = await P.session(msg);
    if (!me) { $('#loading').remove(); return; }
    if (me.role === 'reporter') {
      location.replace('plan-agency.html?agency=' + encodeURIComponent(me.agency));
      return;
    }
    try {
      planId = await P.planId();
      if (!planId) {
        $('#loading').remove();
        showMsg(msg, 'Chưa có kế hoạch nào. Nạp kế hoạch bằng lệnh: cchc-quiz plan load TỆP.json', 'info');
        return;
      }
      $('#summary-link').href = 'plan-summary.html?plan=' + encodeURIComponent(planId);
      $('#as-of').value = C.param('as_of') || P.today();
      await load();
    } catch (e) {
      $('#loading').remove();
      showMsg(msg, e.message, 'error');
      return;
    }
    const kinds = $('#f-kind');
    const used = new Set(data.agencies.filter((a) => a.counts.total).map((a) => a.kind));
    (data.agency_kinds || []).forEach((k) => { if (used.has(k.id)) kinds.appendChild(el('option', { value: k.id }, k.name)); });
    $('#loading').remove();
    $('#dash').classList.remove('hidden');
    $('#f-status').addEventListener('change', renderTasks);
    $('#f-kind').addEventListener('change', () => { renderTasks(); renderAgencies(); });
    $('#as-of').addEventListener('change', async () => {
      const p = new URLSearchParams(location.search);
      p.set('as_of', $('#as-of').value);
      history.replaceState(null, '', '?' + p.toString());
      try { await load(); } catch (e) { showMsg(msg, e.message, 'error'); }
    });
    renderCoverage();
  }

  init();
})();
