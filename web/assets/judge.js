/* The judges' console (judge.html): live boards over server-sent events
 * (per round, per contest, per track), the unit table, prizes (configure,
 * propose, review, publish, print), question statistics and exports. */
(function () {
  'use strict';
  const C = window.CCHC;
  const K = window.CONSOLE;
  const { el, $, clear, showMsg, fmtTime, fmtNum, fmtDuration } = C;
  const api = K.api;
  const TRACKS = { cbccvc: 'CBCCVC', citizen: 'Người dân', both: 'Tất cả' };
  const FLAGS = {
    wrong_key: ['Có thể sai đáp án', ''], too_easy: ['Quá dễ', 'mild'], too_hard: ['Quá khó', 'mild'],
    negative_discrimination: ['Độ phân biệt âm', ''], voided: ['Đã hủy câu', 'mild'],
  };

  let me = null;
  let contest = null;       // GET /api/admin/contests/{key}
  let scope = 'contest';    // 'contest' or a round id
  let boardES = null, unitsES = null;
  let lastBoard = null, lastUnits = null, prevRows = new Map();
  let unitSort = { key: null, dir: -1 };
  let currentTab = 'board';

  const isJudge = () => me.role === 'judge';
  const track = () => $('#j-track').value;
  const roundMeta = () => (contest && scope !== 'contest' ? contest.rounds.find((r) => String(r.id) === String(scope)) : null);

  /* ---------- live streams ---------- */

  function setLive(state, text) {
    const dot = $('#live-dot');
    dot.className = 'live-dot ' + state;
    $('#live-text').textContent = text;
  }

  function openStreams() {
    if (boardES) boardES.close();
    if (unitsES) unitsES.close();
    boardES = unitsES = null;
    if (!contest) return;
    const t = track() ? '?track=' + track() : '';
    const key = encodeURIComponent(contest.contest.id);
    const contestUrl = '/api/admin/contests/' + key + '/live' + t;
    setLive('', 'Đang kết nối…');
    const onBoard = (ev) => {
      const d = JSON.parse(ev.data);
      if (d.error) { showMsg($('#board-msg'), d.error.message, 'error'); return; }
      lastBoard = d.board;
      if (d.units) { lastUnits = d.units; renderUnits(); }
      renderBoard();
      setLive('on', 'Trực tiếp · cập nhật lúc ' + new Date().toLocaleTimeString('vi-VN', { timeZone: C.TZ }));
    };
    boardES = new EventSource(scope === 'contest' ? contestUrl : '/api/admin/rounds/' + scope + '/live' + t);
    boardES.addEventListener('board', onBoard);
    boardES.onerror = () => setLive('off', 'Mất kết nối, đang thử lại…');
    if (scope !== 'contest') {
      unitsES = new EventSource('/api/admin/contests/' + key + '/live');
      unitsES.addEventListener('board', (ev) => {
        const d = JSON.parse(ev.data);
        if (d.units) { lastUnits = d.units; renderUnits(); }
      });
    }
  }

  /* ---------- the board ---------- */

  function renderBoard() {
    const b = lastBoard;
    if (!b) return;
    const badges = clear($('#board-badges'));
    if (b.official) badges.appendChild(el('span', { class: 'badge official' }, 'Kết quả chính thức (đã công bố ' + fmtTime(b.published_at) + ')'));
    else if (b.provisional) badges.appendChild(el('span', { class: 'badge provisional' }, scope === 'contest' ? 'Chưa công bố chung cuộc' : 'Tạm thời: vòng thi chưa kết thúc hoặc chưa chốt câu dự đoán'));
    else badges.appendChild(el('span', { class: 'badge closed' }, 'Đã chốt, chưa công bố'));
    if (b.public_frozen) badges.appendChild(el('span', { class: 'badge frozen' }, 'Bảng công khai đang đóng băng từ ' + fmtTime(b.freeze_at)));
    if (b.total !== undefined) badges.appendChild(el('span', { class: 'muted small' }, fmtNum(b.total) + ' người có kết quả'));
    renderPublish(b);
    const isRound = scope !== 'contest';
    const rows = b.entries || [];
    const next = new Map();
    const box = clear($('#board'));
    const tableEl = K.table([
      { label: 'Hạng', num: true, cell: (e) => String(e.rank) },
      { label: 'Họ và tên', cell: (e) => e.name },
      { label: 'Đơn vị', cell: (e) => e.unit },
      { label: 'Đối tượng', cell: (e) => TRACKS[e.track] || e.track },
      { label: 'Điểm', num: true, cell: (e) => (isRound ? e.score + '/' + e.max_score : String(e.score)) },
      isRound ? { label: 'Câu đúng', num: true, cell: (e) => String(e.correct) } : { label: 'Số vòng', num: true, cell: (e) => String(e.rounds_counted) },
      { label: 'Thời gian làm bài', num: true, cell: (e) => fmtDuration(e.duration_ms) },
      { label: isRound ? 'Nộp lúc' : 'Nộp lần cuối', cell: (e) => fmtTime(isRound ? e.submitted_at : e.last_submitted_at) },
      isRound ? { label: 'Sai số dự đoán', num: true, cell: (e) => (e.prediction_error === null ? '—' : fmtNum(e.prediction_error)) } : null,
    ].filter(Boolean), rows, {
      class: 'board',
      rowAttrs: (e) => {
        const k = e.participant_id;
        const sig = e.rank + '|' + e.score;
        next.set(k, sig);
        return { class: prevRows.size && prevRows.get(k) !== sig ? 'changed' : null, 'data-pid': String(k) };
      },
    });
    box.appendChild(rows.length ? tableEl : el('p', { class: 'muted' }, 'Chưa có kết quả nào.'));
    prevRows = next;
  }

  function renderPublish(b) {
    const box = clear($('#publish-box'));
    if (!isJudge()) return;
    const isRound = scope !== 'contest';
    const settled = isRound ? b.settled : (contest.rounds.every((r) => r.settled_at));
    const path = isRound ? '/api/admin/rounds/' + scope : '/api/admin/contests/' + encodeURIComponent(contest.contest.id);
    if (b.official) {
      box.appendChild(el('button', { type: 'button', class: 'danger', id: 'unpublish', onclick: async () => {
        const v = await K.ask('Hủy công bố kết quả', [{ name: 'reason', label: 'Lý do', type: 'textarea', required: true }], 'Hủy công bố', true);
        if (!v) return;
        try { await api('POST', path + '/unpublish', { body: { reason: v.reason } }); showMsg($('#board-msg'), 'Đã hủy công bố.', 'ok'); } catch (e) { showMsg($('#board-msg'), e.message, 'error'); }
      } }, 'Hủy công bố'));
    } else {
      const btn = el('button', { type: 'button', class: 'ok', id: 'publish', disabled: !settled, onclick: async () => {
        try {
          await api('POST', path + '/publish', { body: {} });
          showMsg($('#board-msg'), 'Đã công bố kết quả chính thức' + (isRound ? ' của vòng thi.' : ' chung cuộc.'), 'ok');
        } catch (e) { showMsg($('#board-msg'), e.message, 'error'); }
      } }, isRound ? 'Công bố kết quả chính thức của vòng' : 'Công bố kết quả chung cuộc');
      box.appendChild(btn);
      if (!settled) box.appendChild(el('span', { class: 'muted small' }, 'Công bố được khi vòng thi đã đóng và đã chốt câu hỏi dự đoán.'));
    }
  }

  /* ---------- the unit table ---------- */

  function renderUnits() {
    if (!lastUnits || currentTab !== 'units') return;
    const units = lastUnits.units.slice();
    const blocks = new Map();
    for (const u of units) {
      const b = u.block || 'Khác';
      if (!blocks.has(b)) blocks.set(b, []);
      blocks.get(b).push(u);
    }
    const val = (u, k) => (u[k] === null || u[k] === undefined ? -1 : u[k]);
    const sortBtn = (key, label) => {
      const b = el('button', { type: 'button', class: 'sort', 'data-sort': key, 'aria-sort': unitSort.key === key ? (unitSort.dir < 0 ? 'descending' : 'ascending') : null },
        label + (unitSort.key === key ? (unitSort.dir < 0 ? ' ▼' : ' ▲') : ''));
      b.addEventListener('click', () => {
        unitSort = { key, dir: unitSort.key === key ? -unitSort.dir : -1 };
        renderUnits();
      });
      return b;
    };
    const body = el('tbody');
    for (const [block, list] of blocks) {
      if (unitSort.key) list.sort((a, b) => unitSort.dir * (val(a, unitSort.key) - val(b, unitSort.key)) || a.name.localeCompare(b.name, 'vi'));
      const head = list.reduce((n, u) => n + (u.headcount || 0), 0);
      const part = list.reduce((n, u) => n + u.participants, 0);
      body.appendChild(el('tr', { class: 'block-row' }, el('th', { colspan: '6', scope: 'rowgroup' },
        block + ' — ' + fmtNum(part) + ' người dự thi' + (head ? ', tỷ lệ ' + fmtNum((100 * part) / head, 1) + '%' : ''))));
      for (const u of list) {
        body.appendChild(el('tr', null, el('th', { class: 'unit-name', scope: 'row' }, u.name),
          el('td', { class: 'num' }, u.headcount ? fmtNum(u.headcount) : '—'),
          el('td', { class: 'num' }, fmtNum(u.participants)),
          el('td', { class: 'num' }, u.participation_rate === null ? '—' : fmtNum(u.participation_rate * 100, 1) + '%'),
          el('td', { class: 'num' }, fmtNum(u.finished_attempts)),
          el('td', { class: 'num' }, u.average_score === null ? '—' : fmtNum(u.average_score, 2))));
      }
    }
    clear($('#units')).appendChild(el('div', { class: 'table-wrap' }, el('table', { id: 'unit-table' },
      el('thead', null, el('tr', null, el('th', { scope: 'col' }, 'Đơn vị'), el('th', { class: 'num' }, 'Biên chế'),
        el('th', { class: 'num' }, sortBtn('participants', 'Số người dự thi')), el('th', { class: 'num' }, sortBtn('participation_rate', 'Tỷ lệ tham gia')),
        el('th', { class: 'num' }, 'Bài đã nộp'), el('th', { class: 'num' }, sortBtn('average_score', 'Điểm trung bình')))), body)));
  }

  /* ---------- prizes ---------- */

  async function loadPrizeConfig() {
    const box = clear($('#prize-config'));
    let cfg;
    try { cfg = (await api('GET', '/api/admin/contests/' + encodeURIComponent(contest.contest.id) + '/prize-config')).config; } catch (e) { showMsg(box, e.message, 'error'); return; }
    const tiers = el('tbody');
    const tierRow = (t) => {
      const tr = el('tr', null, el('td', null, el('input', { type: 'text', class: 't-name', value: t.name, maxlength: '120', 'aria-label': 'Tên giải' })),
        el('td', null, el('input', { type: 'number', class: 't-count', value: String(t.count), min: '0', max: '500', 'aria-label': 'Số giải' })),
        el('td', null, el('button', { type: 'button', class: 'link small', onclick: () => tr.remove() }, 'Bỏ')));
      return tr;
    };
    for (const t of cfg.individual.tiers) tiers.appendChild(tierRow(t));
    const perTrack = el('input', { type: 'checkbox', id: 'per-track', checked: cfg.individual.per_track !== false });
    const units = el('tbody');
    const unitRow = (u) => {
      const rule = el('select', { class: 'u-rule', 'aria-label': 'Tiêu chí' }, el('option', { value: 'participation_rate' }, 'Tỷ lệ tham gia cao nhất'), el('option', { value: 'participants' }, 'Nhiều người dự thi nhất'));
      rule.value = u.rule;
      const tr = el('tr', null, el('td', null, el('input', { type: 'text', class: 'u-name', value: u.name, maxlength: '120', 'aria-label': 'Tên giải' })),
        el('td', null, rule), el('td', null, el('label', { class: 'check' }, el('input', { type: 'checkbox', class: 'u-block', checked: !!u.per_block }), el('span', null, 'theo từng khối'))),
        el('td', null, el('input', { type: 'number', class: 'u-count', value: String(u.count), min: '0', max: '500', 'aria-label': 'Số giải' })),
        el('td', null, el('button', { type: 'button', class: 'link small', onclick: () => tr.remove() }, 'Bỏ')));
      return tr;
    };
    for (const u of cfg.units || []) units.appendChild(unitRow(u));
    const out = el('div', { class: 'hidden' });
    const save = el('button', { type: 'button', id: 'save-config' }, 'Lưu cơ cấu giải');
    save.addEventListener('click', async () => {
      const config = {
        individual: { per_track: perTrack.checked, tiers: Array.from(tiers.rows).map((tr) => ({ name: tr.querySelector('.t-name').value.trim(), count: Number(tr.querySelector('.t-count').value) })) },
        units: Array.from(units.rows).map((tr) => ({ name: tr.querySelector('.u-name').value.trim(), rule: tr.querySelector('.u-rule').value, per_block: tr.querySelector('.u-block').checked, count: Number(tr.querySelector('.u-count').value) })),
      };
      try { await api('PUT', '/api/admin/contests/' + encodeURIComponent(contest.contest.id) + '/prize-config', { body: { config } }); showMsg(out, 'Đã lưu cơ cấu giải.', 'ok'); } catch (e) { showMsg(out, e.message, 'error'); }
    });
    box.append(el('h3', null, 'Giải cá nhân (mỗi vòng và chung cuộc)'),
      el('label', { class: 'check' }, perTrack, el('span', null, 'Xét riêng cho từng đối tượng (CBCCVC, người dân)')),
      el('table', { class: 'tiers' }, el('thead', null, el('tr', null, el('th', null, 'Giải'), el('th', null, 'Số giải'), el('th', null, ''))), tiers),
      el('button', { type: 'button', class: 'secondary small', onclick: () => tiers.appendChild(tierRow({ name: 'Giải', count: 1 })) }, 'Thêm hạng giải'),
      el('h3', null, 'Giải tập thể (chung cuộc)'),
      el('table', { class: 'tiers' }, el('thead', null, el('tr', null, el('th', null, 'Giải'), el('th', null, 'Tiêu chí'), el('th', null, 'Phạm vi'), el('th', null, 'Số giải'), el('th', null, ''))), units),
      el('button', { type: 'button', class: 'secondary small', onclick: () => units.appendChild(unitRow({ name: 'Giải tập thể', rule: 'participation_rate', per_block: true, count: 1 })) }, 'Thêm giải tập thể'),
      out, el('div', { class: 'actions' }, save));
  }

  const GROUPS = { cbccvc: 'Cán bộ, công chức, viên chức', citizen: 'Người dân', all: 'Tất cả đối tượng' };
  const groupLabel = (e) => {
    if (e.kind === 'individual') return 'Giải cá nhân — ' + (GROUPS[e.group] || e.group);
    const [rule, block] = e.group.split('|');
    return (rule === 'participants' ? 'Giải tập thể theo số người dự thi' : 'Giải tập thể theo tỷ lệ tham gia') + (block ? ' — khối ' + block : '');
  };

  async function loadPrizes() {
    const box = clear($('#prize-lists'));
    let data;
    try { data = await api('GET', '/api/admin/contests/' + encodeURIComponent(contest.contest.id) + '/prizes'); } catch (e) { showMsg(box, e.message, 'error'); return; }
    if (!data.lists.length) box.appendChild(el('p', { class: 'muted' }, 'Chưa có đề xuất giải nào.'));
    for (const l of data.lists) box.appendChild(prizeList(l));
  }

  function roundTitle(id) {
    const r = contest.rounds.find((x) => x.id === id);
    return r ? r.title : 'Vòng ' + id;
  }

  function prizeList(l) {
    const card = el('div', { class: 'card prize-list', id: 'list-' + l.id });
    const title = l.round_id ? 'Giải thưởng — ' + roundTitle(l.round_id) : 'Giải thưởng chung cuộc';
    card.appendChild(el('div', { class: 'row-head' }, el('h3', null, title),
      l.published_at ? el('span', { class: 'badge official' }, 'Đã công bố ' + fmtTime(l.published_at)) : el('span', { class: 'badge provisional' }, l.pending ? l.pending + ' mục chờ xác nhận' : 'Sẵn sàng công bố')));
    card.appendChild(el('p', { class: 'muted small' }, 'Đề xuất lúc ' + fmtTime(l.proposed_at) + ' bởi ' + l.proposed_by + ' theo thứ tự xếp hạng của thể lệ.'));
    const groups = new Map();
    for (const e of l.entries) {
      const g = groupLabel(e);
      if (!groups.has(g)) groups.set(g, []);
      groups.get(g).push(e);
    }
    for (const [g, list] of groups) {
      card.appendChild(el('h4', null, g));
      card.appendChild(K.table([
        { label: 'Giải', cell: (e) => e.tier_name },
        { label: 'Hạng', num: true, cell: (e) => String(e.rank) },
        { label: list[0].kind === 'unit' ? 'Đơn vị' : 'Họ và tên', cell: (e) => (e.participant ? e.participant.name : e.unit.name) },
        { label: list[0].kind === 'unit' ? 'Khối' : 'Đơn vị', cell: (e) => (e.participant ? e.participant.unit : e.unit.block) },
        { label: list[0].kind === 'unit' ? 'Chỉ số' : 'Điểm', num: true, cell: (e) => (e.kind === 'unit'
          ? (e.detail.participation_rate !== null && e.detail.participation_rate !== undefined ? fmtNum(e.detail.participation_rate * 100, 1) + '% · ' : '') + fmtNum(e.detail.participants) + ' người'
          : e.detail.score + (e.detail.max_score ? '/' + e.detail.max_score : '')) },
        { label: 'Phân định hòa', cell: (e) => (e.decided_by ? (e.decided_by === 'unresolved' ? el('strong', { class: 'field-error' }, 'chưa phân định được') : 'bằng ' + (K.KEY_NAMES[e.decided_by] || e.decided_by)) : '') },
        { label: 'Trạng thái', cell: (e) => ({ proposed: 'Chờ xác nhận', confirmed: 'Đã xác nhận', struck: 'Đã loại' }[e.status]) + (e.reason ? ' — ' + e.reason : '') },
        { label: 'Xử lý', cell: (e) => (l.published_at || !isJudge() ? '' : el('div', { class: 'row-actions' },
          e.status !== 'confirmed' ? el('button', { type: 'button', class: 'small ok', 'data-confirm': String(e.id), onclick: () => review(e, false) }, 'Xác nhận') : null,
          e.status !== 'struck' ? el('button', { type: 'button', class: 'small danger', 'data-strike': String(e.id), onclick: () => review(e, true) }, 'Loại') : null)) },
      ], list, { rowAttrs: (e) => ({ class: 'status-' + e.status }) }));
    }
    if (l.ties.length) {
      card.appendChild(el('h4', null, 'Các trường hợp bằng nhau đã được phân định'));
      for (const t of l.ties) {
        const key = K.KEY_NAMES[t.decided_by] || t.decided_by;
        const vals = t.a_value !== null || t.b_value !== null ? ' (' + (t.a_value === null ? 'không có' : fmtNum(t.a_value)) + ' so với ' + (t.b_value === null ? 'không có' : fmtNum(t.b_value)) + ')' : '';
        card.appendChild(el('div', { class: 'tie' + (t.decided_by === 'unresolved' ? ' unresolved' : '') },
          (t.a.name || '#' + (t.a.participant_id || t.a.unit_id)) + ' (hạng ' + t.a.rank + ') và ' + (t.b.name || '#' + (t.b.participant_id || t.b.unit_id)) + ' (hạng ' + t.b.rank + ') bằng nhau về ' +
          (t.kind === 'unit' ? 'tiêu chí chính' : 'điểm') + '; ' + (t.decided_by === 'unresolved' ? 'mọi tiêu chí đều bằng nhau — Ban Giám khảo cần quyết định' : 'phân định bằng ' + key + vals) +
          (t.boundary ? '. Kết quả này quyết định ai nhận giải.' : '.')));
      }
    }
    const actions = el('div', { class: 'actions' });
    if (isJudge()) {
      const path = l.round_id ? '/api/admin/rounds/' + l.round_id : '/api/admin/contests/' + encodeURIComponent(contest.contest.id);
      if (!l.published_at) {
        actions.appendChild(el('button', { type: 'button', class: 'ok', 'data-publish': String(l.id), disabled: l.pending > 0, onclick: async () => {
          try { await api('POST', path + '/publish', { body: {} }); showMsg($('#prize-msg'), 'Đã công bố kết quả và danh sách giải.', 'ok'); await refreshContest(); loadPrizes(); } catch (e) { showMsg($('#prize-msg'), e.message, 'error'); }
        } }, 'Công bố kết quả và danh sách giải'));
      } else {
        actions.appendChild(el('button', { type: 'button', class: 'danger', onclick: async () => {
          const v = await K.ask('Hủy công bố', [{ name: 'reason', label: 'Lý do', type: 'textarea', required: true }], 'Hủy công bố', true);
          if (!v) return;
          try { await api('POST', path + '/unpublish', { body: { reason: v.reason } }); await refreshContest(); loadPrizes(); } catch (e) { showMsg($('#prize-msg'), e.message, 'error'); }
        } }, 'Hủy công bố'));
      }
    }
    actions.appendChild(el('a', { class: 'btn secondary', href: 'print.html?list=' + l.id, target: '_blank', rel: 'noopener' }, l.published_at ? 'Trang in danh sách giải' : 'Xem bản in (dự thảo)'));
    card.appendChild(actions);
    return card;
  }

  async function review(e, strike) {
    let reason = '';
    if (strike) {
      const v = await K.ask('Loại khỏi danh sách giải', [{ name: 'reason', label: 'Lý do', type: 'textarea', required: true }], 'Loại', true);
      if (!v) return;
      reason = v.reason;
    }
    try {
      await api('POST', '/api/admin/prize-entries/' + e.id + (strike ? '/strike' : '/confirm'), { body: strike ? { reason } : {} });
      await loadPrizes();
    } catch (err) { showMsg($('#prize-msg'), err.message, 'error'); }
  }

  async function propose(forRound) {
    const path = forRound ? '/api/admin/rounds/' + scope + '/prizes' : '/api/admin/contests/' + encodeURIComponent(contest.contest.id) + '/prizes';
    if (forRound && scope === 'contest') { showMsg($('#prize-msg'), 'Hãy chọn một vòng thi ở ô "Bảng xếp hạng".', 'warn'); return; }
    try {
      await api('POST', path, { body: {} });
      showMsg($('#prize-msg'), 'Đã đề xuất danh sách giải theo thể lệ. Hãy xem các trường hợp bằng nhau, rồi xác nhận hoặc loại từng mục.', 'ok');
      await loadPrizes();
    } catch (e) { showMsg($('#prize-msg'), e.message, 'error'); }
  }

  /* ---------- statistics ---------- */

  async function loadStats() {
    const box = clear($('#stats'));
    if (scope === 'contest') { box.appendChild(el('p', { class: 'muted' }, 'Hãy chọn một vòng thi ở ô "Bảng xếp hạng".')); return; }
    box.appendChild(el('p', { class: 'loading' }, 'Đang tính thống kê…'));
    let s;
    try { s = await api('GET', '/api/admin/rounds/' + scope + '/stats', { timeout: 60000 }); } catch (e) { showMsg(box, e.message, 'error'); return; }
    clear(box);
    box.appendChild(el('p', { class: 'small' }, fmtNum(s.attempts) + ' bài thi đã nộp; nhóm giỏi gồm ' + fmtNum(s.top_group) + ' bài.'));
    box.appendChild(K.table([
      { label: 'Mã câu', cell: (q) => q.qkey },
      { label: 'Câu hỏi', cell: (q) => el('span', { class: 'qtext', title: q.text }, q.text.length > 140 ? q.text.slice(0, 140) + '…' : q.text) },
      { label: 'Số lượt', num: true, cell: (q) => fmtNum(q.n) },
      { label: 'Độ dễ', num: true, cell: (q) => fmtNum(q.facility, 1) + '%' },
      { label: 'Độ phân biệt', num: true, cell: (q) => (q.discrimination === null ? '—' : fmtNum(q.discrimination, 1)) },
      { label: 'Các phương án (tỷ lệ chọn; nhóm giỏi)', cell: (q) => el('div', { class: 'bars' }, q.options.map((o) => [
        el('span', { title: o.text }, o.letter + (o.key ? '✓' : '')),
        el('span', { class: 'bar' + (o.key ? ' key' : ''), title: o.text }, el('span', { dataset: { w: String(Math.round(o.share * 100)) } })),
        el('span', { class: 'num' }, fmtNum(o.share * 100, 0) + '%; ' + fmtNum(o.top_count)),
      ])) },
      { label: 'Cảnh báo', cell: (q) => q.flags.map((f) => el('span', { class: 'flag ' + ((FLAGS[f] || [])[1] || '') }, (FLAGS[f] || [f])[0])) },
      { label: '', cell: (q) => el('a', { href: 'organiser.html?tab=banks&bank=' + encodeURIComponent(q.bank) + '&version=' + q.bank_version + '&q=' + encodeURIComponent(q.qkey) }, 'Sửa đáp án') },
    ], s.questions, { class: 'stats' }));
    /* widths set from data attributes (the page's CSP allows no inline styles in markup) */
    box.querySelectorAll('.bar > span[data-w]').forEach((x) => { x.style.width = x.dataset.w + '%'; });
  }

  /* ---------- exports ---------- */

  function renderExports() {
    const box = clear($('#exports'));
    $('#export-note').textContent = isJudge() || me.role === 'judge'
      ? 'Tệp xuất của Ban Giám khảo chỉ có họ tên và đơn vị (không có số điện thoại, CCCD).'
      : 'Tệp xuất của Ban Tổ chức có số điện thoại và số CCCD để liên hệ trao giải: không công bố, lưu giữ theo quy định về bảo vệ dữ liệu cá nhân.';
    const key = encodeURIComponent(contest.contest.id);
    const link = (kind, q, fmt, label) => el('a', { class: 'btn secondary small', href: '/api/admin/exports/' + kind + '?' + q + '&format=' + fmt, download: '', 'data-export': kind + '.' + fmt }, label);
    const rows = [];
    if (scope !== 'contest') {
      rows.push(['Kết quả xếp hạng — ' + roundTitle(Number(scope)), 'results', 'round=' + scope]);
      rows.push(['Thống kê câu hỏi — ' + roundTitle(Number(scope)), 'stats', 'round=' + scope]);
    }
    rows.push(['Tham gia theo đơn vị', 'units', 'contest=' + key]);
    rows.push(['Danh sách giải thưởng', 'prizes', 'contest=' + key]);
    rows.push(['Thống kê câu hỏi (mọi vòng)', 'stats', 'contest=' + key]);
    rows.push(['Tham gia theo ngày', 'days', 'contest=' + key]);
    box.appendChild(K.table([
      { label: 'Bảng', cell: (r) => r[0] },
      { label: 'Tải về', cell: (r) => el('div', { class: 'row-actions' }, link(r[1], r[2], 'xlsx', 'Excel (.xlsx)'), link(r[1], r[2], 'csv', 'CSV')) },
    ], rows));
    box.appendChild(el('p', null, link('all', 'contest=' + key, 'xlsx', 'Tải toàn bộ (một tệp Excel nhiều trang: Kết quả, Đơn vị, Giải thưởng, Thống kê câu hỏi, Theo ngày)')));
    if (me.role !== 'judge') {
      /* organisers: every certificate of the round (or contest) in one file, streamed */
      const base = scope !== 'contest'
        ? '/api/admin/rounds/' + encodeURIComponent(scope) + '/certificates'
        : '/api/admin/contests/' + key + '/certificates';
      const cert = (ext, label) => el('a', { class: 'btn secondary small', href: base + '.' + ext, download: '', 'data-export': 'certificates.' + ext }, label);
      box.appendChild(el('h3', null, 'Giấy chứng nhận'));
      box.appendChild(el('p', null, scope !== 'contest'
        ? 'Mọi giấy chứng nhận của ' + roundTitle(Number(scope)) + ': '
        : 'Mọi giấy chứng nhận của cuộc thi: ',
      cert('pdf', 'Một tệp PDF nhiều trang'), ' ', cert('zip', 'Tệp ZIP các ảnh PNG')));
    }
  }

  /* ---------- pickers ---------- */

  async function refreshContest() {
    contest = await api('GET', '/api/admin/contests/' + encodeURIComponent($('#j-contest').value));
  }

  async function chooseContest() {
    try { await refreshContest(); } catch (e) { showMsg($('#msg'), e.message, 'error'); return; }
    const sel = clear($('#j-round'));
    sel.appendChild(el('option', { value: 'contest' }, 'Toàn cuộc thi (chung cuộc)'));
    for (const r of contest.rounds) sel.appendChild(el('option', { value: String(r.id) }, r.title + ' — ' + (C.ROUND_STATUS[r.status] || r.status)));
    const want = C.param('round');
    const open = contest.rounds.find((r) => r.status === 'open');
    sel.value = want && contest.rounds.some((r) => String(r.id) === want) ? want : open ? String(open.id) : 'contest';
    scope = sel.value;
    lastBoard = lastUnits = null;
    prevRows = new Map();
    clear($('#board'));
    openStreams();
    showTab(currentTab);
  }

  function showTab(name) {
    currentTab = name;
    if (!contest) return;
    if (name === 'units') renderUnits();
    if (name === 'prizes') { loadPrizeConfig(); loadPrizes(); }
    if (name === 'stats') loadStats();
    if (name === 'exports') renderExports();
    if (name === 'audit') K.auditViewer($('#audit-box'));
  }

  async function init() {
    try { me = await K.session(['judge', 'organiser', 'admin'], $('#msg')); } catch (e) { return; }
    if (me.role !== 'judge') $('#org-link').classList.remove('hidden');
    if (!isJudge()) {
      $('#propose-round').disabled = true;
      $('#propose-contest').disabled = true;
      showMsg($('#prize-msg'), 'Chỉ Ban Giám khảo đề xuất, xác nhận và công bố giải; Ban Tổ chức xem được danh sách (có số điện thoại để liên hệ).', 'info');
    }
    let list;
    try { list = (await api('GET', '/api/admin/contests')).contests; } catch (e) { showMsg($('#msg'), e.message, 'error'); return; }
    const sel = $('#j-contest');
    for (const c of list) sel.appendChild(el('option', { value: c.id }, c.title));
    if (C.param('contest')) sel.value = C.param('contest');
    sel.addEventListener('change', chooseContest);
    $('#j-round').addEventListener('change', () => { scope = $('#j-round').value; lastBoard = null; prevRows = new Map(); clear($('#board')); openStreams(); showTab(currentTab); });
    $('#j-track').addEventListener('change', () => { prevRows = new Map(); openStreams(); });
    $('#propose-round').addEventListener('click', () => propose(true));
    $('#propose-contest').addEventListener('click', () => propose(false));
    K.tabs($('.tabs'), (name) => showTab(name));
    if (list.length) await chooseContest();
    else showMsg($('#msg'), 'Chưa có cuộc thi nào.', 'info');
  }

  init();
})();
