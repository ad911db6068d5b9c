/* A progress report form (plan-report.html?plan=&task= or &agency=). A reporter
 * reports for its own agency's tasks only (the server enforces it too). */
(function () {
  'use strict';
  const C = window.CCHC;
  const P = window.PLAN;
  const { el, $, clear, api, showMsg } = C;

  let me = null;
  let planId = null;
  let agency = null;
  let tasks = [];

  function taskLabel(t) {
    const text = t.text.length > 90 ? t.text.slice(0, 90) + '…' : t.text;
    return 'Mục ' + t.section + ' — ' + text + ' (' + P.STATUS[t.status] + ')';
  }

  function showHint() {
    const t = tasks.find((x) => String(x.id) === $('#r-task').value);
    const hint = $('#r-task-hint');
    if (!t) { hint.textContent = ''; return; }
    hint.textContent = t.frequency === 'once'
      ? 'Nhiệm vụ một lần, hạn ' + P.fmtDay(t.due) + '.'
      : t.frequency_label + ': mỗi kỳ cần ít nhất một báo cáo có ngày thực hiện trong kỳ' +
        (t.next_due ? '; kỳ đang theo dõi: ' + P.periodLabel(t.frequency, t.next_due) : '') + '.';
  }

  async function loadTasks(selected) {
    const data = await api('GET', '/api/plan/plans/' + encodeURIComponent(planId) + '/agencies/' + encodeURIComponent(agency));
    tasks = data.tasks;
    $('#agency-line').textContent = data.agency.name + ' — ' + P.planLine(data.plan);
    const sel = clear($('#r-task'));
    tasks.forEach((t) => sel.appendChild(el('option', { value: t.id }, taskLabel(t))));
    if (selected) sel.value = String(selected);
    showHint();
  }

  function numberOrNull(v) {
    if (v === '' || v === null || v === undefined) return null;
    const n = Number(v);
    return Number.isInteger(n) ? n : NaN;
  }

  async function onSubmit(ev) {
    ev.preventDefault();
    const form = ev.currentTarget;
    const msg = $('#form-msg');
    C.clearFormErrors(form);
    showMsg(msg, '');
    const text = form.elements.text.value.trim();
    if (!text) { C.showFieldError(form, 'text', 'Vui lòng nhập nội dung đã thực hiện.'); return; }
    const date = form.elements.date.value;
    if (!date) { C.showFieldError(form, 'date', 'Vui lòng chọn ngày.'); return; }
    const figures = {};
    for (const k of Object.keys(P.FIGURES)) {
      const v = numberOrNull(form.elements['figures.' + k].value);
      if (Number.isNaN(v) || v < 0) { C.showFieldError(form, 'figures.' + k, 'Số liệu phải là số nguyên không âm.'); return; }
      if (v !== null) figures[k] = v;
    }
    const evidence = form.elements.evidence.value.split(/\s*\n\s*/).map((s) => s.trim()).filter(Boolean);
    const bad = evidence.find((u) => !/^https?:\/\/\S+$/.test(u));
    if (bad) { C.showFieldError(form, 'evidence', 'Đường dẫn phải bắt đầu bằng https:// hoặc http://: ' + bad); return; }
    const taskId = form.elements.task.value;
    const btn = $('#submit');
    btn.disabled = true;
    try {
      await api('POST', '/api/plan/tasks/' + encodeURIComponent(taskId) + '/reports', {
        body: { date, text, figures, evidence, done: form.elements.done.checked },
        csrf: me.csrf_token, form,
      });
      form.elements.text.value = '';
      form.elements.evidence.value = '';
      form.elements.done.checked = false;
      Object.keys(P.FIGURES).forEach((k) => { form.elements['figures.' + k].value = ''; });
      await loadTasks(taskId);
      const t = tasks.find((x) => String(x.id) === String(taskId));
      showMsg(msg, 'Đã gửi báo cáo. Tình trạng nhiệm vụ hiện nay: ' + (t ? P.STATUS[t.status] : '') + '.', 'ok');
    } catch (e) {
      let shown = false;
      if (e.field && /^evidence\[/.test(e.field)) shown = C.showFieldError(form, 'evidence', e.message);
      if (!shown && !(e.field && form.querySelector('[name="' + CSS.escape(e.field) + '"]'))) showMsg(msg, e.message, 'error');
    } finally {
      btn.disabled = false;
    }
  }

  async function init() {
    const msg = $('#msg');
    me = await P.session(msg);
    if (!me) { $('#loading').remove(); return; }
    const taskParam = C.param('task');
    try {
      planId = await P.planId();
      if (!planId) throw new C.ApiError(404, null, 'Chưa có kế hoạch nào.');
      if (taskParam) {
        const t = await api('GET', '/api/plan/tasks/' + encodeURIComponent(taskParam));
        agency = t.task.agency.id;
        planId = t.plan.id;
      } else {
        agency = C.param('agency') || (me.role === 'reporter' ? me.agency : null);
      }
      if (!agency) throw new C.ApiError(400, null, 'Thiếu mã cơ quan, đơn vị trong đường dẫn.');
      await loadTasks(taskParam);
    } catch (e) {
      $('#loading').remove();
      showMsg(msg, e.message, 'error');
      return;
    }
    if (!tasks.length) {
      $('#loading').remove();
      showMsg(msg, 'Đơn vị không chủ trì nhiệm vụ nào của kế hoạch.', 'info');
      return;
    }
    const agencyUrl = 'plan-agency.html?plan=' + encodeURIComponent(planId) + '&agency=' + encodeURIComponent(agency);
    $('#back').href = agencyUrl;
    $('#home-link').href = me.role === 'reporter' ? agencyUrl : 'plan.html?plan=' + encodeURIComponent(planId);
    const d = $('#r-date');
    d.value = P.today();
    d.max = P.today();
    $('#r-task').addEventListener('change', showHint);
    $('#report-form').addEventListener('submit', onSubmit);
    $('#loading').remove();
    $('#report-form').classList.remove('hidden');
  }

  init();
})();
