/* Contest list (index.html). */
(function () {
  'use strict';
  const { el, $, clear, api, fmtTime, roundBadge, showMsg } = window.CCHC;

  async function load() {
    const box = $('#contests');
    let data;
    try {
      data = await api('GET', '/api/contests');
    } catch (e) {
      clear(box);
      showMsg($('#msg'), e.message, 'error');
      return;
    }
    clear(box);
    const contests = (data && data.contests) || [];
    if (!contests.length) {
      box.appendChild(el('p', { class: 'card' }, 'Hiện chưa có cuộc thi nào.'));
      return;
    }
    for (const c of contests) {
      const rounds = c.rounds || [];
      const open = rounds.filter((r) => r.status === 'open');
      const href = 'contest.html?id=' + encodeURIComponent(c.id);
      box.appendChild(el('section', { class: 'card', 'aria-labelledby': 'c-' + c.id },
        el('h2', { id: 'c-' + c.id }, el('a', { href }, c.title)),
        c.organiser ? el('p', { class: 'muted' }, 'Đơn vị tổ chức: ' + c.organiser) : null,
        rounds.length ? el('ul', { class: 'list' }, rounds.map((r) =>
          el('li', null,
            el('div', { class: 'row-head' }, el('strong', null, r.title), roundBadge(r.status)),
            el('p', { class: 'meta' }, 'Từ ' + fmtTime(r.opens_at_ms || r.opens_at) + ' đến ' + fmtTime(r.closes_at_ms || r.closes_at))))) : null,
        el('div', { class: 'actions' },
          el('a', { class: 'btn', href }, open.length ? 'Tham gia thi' : 'Xem cuộc thi'),
          el('a', { class: 'btn secondary', href: 'leaderboard.html?contest=' + encodeURIComponent(c.id) }, 'Bảng xếp hạng'))));
    }
  }

  load();
})();
