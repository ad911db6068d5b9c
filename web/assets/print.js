/* The printable prize list (print.html?list=ID): confirmed entries of a
 * prize list under the organising body's header. A list not yet published
 * prints as a draft. */
(function () {
  'use strict';
  const C = window.CCHC;
  const K = window.CONSOLE;
  const { el, $, showMsg, fmtNum } = C;
  const GROUPS = { cbccvc: 'Đối tượng cán bộ, công chức, viên chức', citizen: 'Đối tượng người dân', all: '' };

  function vnDate(iso) {
    const d = new Date(new Date(iso || Date.now()).getTime() + 7 * 3600 * 1000);
    return 'ngày ' + String(d.getUTCDate()).padStart(2, '0') + ' tháng ' + String(d.getUTCMonth() + 1).padStart(2, '0') + ' năm ' + d.getUTCFullYear();
  }

  /** "Sở Nội vụ tỉnh Nghệ An" -> ["UBND TỈNH NGHỆ AN", "SỞ NỘI VỤ"] (upper line the province, when named). */
  function orgLines(org) {
    const m = /^(.*?)\s+(tỉnh|thành phố)\s+(.+)$/i.exec(org || '');
    if (m) return ['Ủy ban nhân dân ' + m[2] + ' ' + m[3], m[1]];
    return ['', org || ''];
  }

  function place(org) {
    const m = /(tỉnh|thành phố)\s+(.+)$/i.exec(org || '');
    return m ? m[2] : '';
  }

  async function init() {
    try { await K.session(['judge', 'organiser', 'admin'], $('#msg')); } catch (e) { return; }
    $('#print-btn').addEventListener('click', () => window.print());
    const id = C.param('list');
    let l;
    try { l = await K.api('GET', '/api/admin/prize-lists/' + encodeURIComponent(id || '0')); } catch (e) { showMsg($('#msg'), e.message, 'error'); return; }
    const c = l.contest || {};
    const sheet = $('#sheet');
    const draft = !l.published_at;
    $('#draft-note').classList.toggle('hidden', !draft);
    document.title = 'Danh sách đoạt giải — ' + (l.round_title || 'chung cuộc') + ' — ' + c.title;
    const [top, org] = orgLines(c.organiser);
    sheet.appendChild(el('header', { class: 'doc-head' },
      el('div', { class: 'left' }, top ? el('p', { class: 'org-top' }, top) : null, el('p', { class: 'org' }, org),
        el('p', { class: 'org' }, 'Ban Tổ chức cuộc thi'), el('span', { class: 'rule' })),
      el('div', { class: 'right' }, el('p', { class: 'nation' }, 'Cộng hòa xã hội chủ nghĩa Việt Nam'),
        el('p', { class: 'motto' }, 'Độc lập - Tự do - Hạnh phúc'), el('span', { class: 'rule long' }),
        el('p', { class: 'place' }, (place(c.organiser) ? place(c.organiser) + ', ' : '') + vnDate(l.published_at)))));
    if (draft) sheet.appendChild(el('div', { class: 'draft-mark', 'aria-hidden': 'true' }, 'DỰ THẢO'));
    sheet.appendChild(el('h1', { class: 'doc-title' }, 'Danh sách cá nhân, tập thể đoạt giải'));
    sheet.appendChild(el('p', { class: 'doc-sub' }, c.title + (l.round_title ? ' — ' + l.round_title : ' — kết quả chung cuộc')));
    if (draft) sheet.appendChild(el('p', { class: 'doc-sub' }, '(Dự thảo: danh sách chưa được Ban Giám khảo công bố)'));
    const entries = l.entries.filter((e) => e.status === 'confirmed');
    const groups = new Map();
    for (const e of entries) {
      const g = e.kind === 'unit' ? 'unit|' + e.tier_name + '|' + e.group : 'ind|' + e.group;
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(e);
    }
    let part = 0;
    const roman = ['I', 'II', 'III', 'IV', 'V', 'VI', 'VII', 'VIII', 'IX', 'X'];
    for (const [g, list] of groups) {
      const unit = g.startsWith('unit|');
      const block = unit ? (list[0].group.split('|')[1] || '') : '';
      const title = unit ? list[0].tier_name + (block ? ' — khối ' + block : '') : 'Giải cá nhân' + (GROUPS[list[0].group] ? ' — ' + GROUPS[list[0].group] : '');
      sheet.appendChild(el('h3', null, (roman[part++] || part) + '. ' + title));
      const head = unit ? ['STT', 'Đơn vị', 'Khối', 'Số người dự thi', 'Tỷ lệ tham gia'] : ['STT', 'Họ và tên', 'Đơn vị công tác', 'Giải', 'Điểm'];
      sheet.appendChild(el('table', null, el('thead', null, el('tr', null, head.map((h) => el('th', null, h)))),
        el('tbody', null, list.map((e, i) => el('tr', null, unit
          ? [el('td', { class: 'num' }, String(i + 1)), el('td', null, e.unit.name), el('td', null, e.unit.block || ''),
            el('td', { class: 'num' }, fmtNum(e.detail.participants)),
            el('td', { class: 'num' }, e.detail.participation_rate === null || e.detail.participation_rate === undefined ? '—' : fmtNum(e.detail.participation_rate * 100, 1) + '%')]
          : [el('td', { class: 'num' }, String(i + 1)), el('td', null, e.participant.name), el('td', null, e.participant.unit),
            el('td', null, e.tier_name), el('td', { class: 'num' }, e.detail.score + (e.detail.max_score ? '/' + e.detail.max_score : ''))])))));
    }
    if (!entries.length) sheet.appendChild(el('p', null, 'Chưa có mục nào được Ban Giám khảo xác nhận.'));
    sheet.appendChild(el('div', { class: 'sign' }, el('div'),
      el('div', null, el('p', { class: 'title' }, c.signer_title || 'TM. Ban Tổ chức'), el('p', { class: 'name' }, c.signer_name || ''))));
  }

  init();
})();
