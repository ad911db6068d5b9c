/* Leaderboards (leaderboard.html?contest=ID[&round=&track=&tab=]).
 * Only name and unit identify a person here: the API never sends phone or CCCD. */
(function () {
  'use strict';
  const C = window.CCHC;
  const { el, $, clear, api, showMsg, fmtNum, fmtDuration } = C;

  const PAGE = 50;
  const contestId = C.param('contest') || C.param('id');
  let contest = null;
  let tab = 'round';
  const boards = {
    round: { offset: 0, entries: [], total: 0 },
    contest: { offset: 0, entries: [], total: 0 },
  };

  const RANK_KEYS = {
    score_desc: 'điểm cao hơn',
    prediction_error_asc: 'dự đoán gần đúng hơn',
    submitted_at_asc: 'nộp bài sớm hơn',
    duration_asc: 'thời gian làm bài ngắn hơn',
  };

  function trackLabel(id) {
    const t = ((contest && contest.tracks) || []).find((x) => x.id === id);
    return t ? t.label : (id || '');
  }

  function selectedRound() { return $('#round-select').value; }
  function selectedTrack() { return $('#track-select').value; }

  function syncUrl() {
    const p = new URLSearchParams();
    p.set('contest', contestId);
    if (selectedRound()) p.set('round', selectedRound());
    if (selectedTrack()) p.set('track', selectedTrack());
    if (tab !== 'round') p.set('tab', tab);
    history.replaceState(null, '', '?' + p.toString());
  }

  async function init() {
    if (!contestId) {
      $('#loading').remove();
      showMsg($('#msg'), 'Thiếu mã cuộc thi trong đường dẫn.', 'error');
      return;
    }
    $('#contest-link').href = 'contest.html?id=' + encodeURIComponent(contestId);
    try {
      contest = await api('GET', '/api/contests/' + encodeURIComponent(contestId));
    } catch (e) {
      $('#loading').remove();
      showMsg($('#msg'), e.message, 'error');
      return;
    }
    $('#contest-title').textContent = contest.title;
    document.title = 'Bảng xếp hạng — ' + contest.title;

    const rsel = clear($('#round-select'));
    const rounds = contest.rounds || [];
    const started = rounds.filter((r) => r.status !== 'upcoming');
    (started.length ? started : rounds).forEach((r) => {
      const s = r.status === 'open' ? ' (đang diễn ra)' : (r.status === 'upcoming' ? ' (sắp mở)' : '');
      rsel.appendChild(el('option', { value: r.id }, r.title + s));
    });
    const want = C.param('round');
    const openR = started.filter((r) => r.status === 'open');
    const def = want && rounds.some((r) => String(r.id) === want) ? want
      : (openR.length ? openR[openR.length - 1].id : (started.length ? started[started.length - 1].id : (rounds[0] && rounds[0].id)));
    if (def !== undefined) rsel.value = String(def);

    const tsel = clear($('#track-select'));
    tsel.appendChild(el('option', { value: '' }, 'Tất cả đối tượng'));
    (contest.tracks || []).forEach((t) => tsel.appendChild(el('option', { value: t.id }, t.label)));
    const wantTrack = C.param('track');
    if (wantTrack && (contest.tracks || []).some((t) => t.id === wantTrack)) tsel.value = wantTrack;

    rsel.addEventListener('change', () => { syncUrl(); loadRound(true); });
    tsel.addEventListener('change', () => { syncUrl(); reloadCurrent(); });
    $('#refresh').addEventListener('click', reloadCurrent);
    ['round', 'contest', 'units'].forEach((name) => {
      $('#tab-' + name).addEventListener('click', () => selectTab(name, true));
      $('#tab-' + name).addEventListener('keydown', onTabKey);
    });

    $('#loading').remove();
    $('#boards').classList.remove('hidden');
    const wantTab = C.param('tab');
    selectTab(['round', 'contest', 'units'].includes(wantTab) ? wantTab : 'round', false);
  }

  function onTabKey(ev) {
    const order = ['round', 'contest', 'units'];
    const i = order.indexOf(tab);
    let next = null;
    if (ev.key === 'ArrowRight') next = order[(i + 1) % order.length];
    if (ev.key === 'ArrowLeft') next = order[(i + order.length - 1) % order.length];
    if (ev.key === 'Home') next = order[0];
    if (ev.key === 'End') next = order[order.length - 1];
    if (next) {
      ev.preventDefault();
      selectTab(next, true);
      $('#tab-' + next).focus();
    }
  }

  function selectTab(name, user) {
    tab = name;
    ['round', 'contest', 'units'].forEach((n) => {
      const on = n === name;
      $('#tab-' + n).setAttribute('aria-selected', on ? 'true' : 'false');
      $('#tab-' + n).tabIndex = on ? 0 : -1;
      $('#panel-' + n).classList.toggle('hidden', !on);
    });
    $('#round-field').classList.toggle('hidden', name !== 'round');
    $('#pickers').classList.toggle('hidden', name === 'units');
    if (user) syncUrl();
    reloadCurrent();
  }

  function reloadCurrent() {
    if (tab === 'round') loadRound(true);
    else if (tab === 'contest') loadContest(true);
    else { stopLive(); loadUnits(); }
  }

  function query(offset) {
    const p = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
    if (selectedTrack()) p.set('track', selectedTrack());
    return p.toString();
  }

  function rankingText(ranking) {
    const parts = (ranking || []).map((k) => RANK_KEYS[k]).filter(Boolean);
    return parts.length ? 'Thứ tự xếp hạng: ' + parts.join(', rồi ') + '.' : '';
  }

  /* ---------- per-round board ---------- */

  async function loadRound(reset) {
    const rid = selectedRound();
    const box = $('#round-board');
    const b = boards.round;
    if (!rid) { clear(box).appendChild(el('p', { class: 'muted' }, 'Chưa có vòng thi nào.')); return; }
    if (reset) { b.offset = 0; b.entries = []; clear(box).appendChild(el('p', { class: 'loading' }, 'Đang tải…')); }
    const r = (contest.rounds || []).find((x) => String(x.id) === String(rid));
    $('#round-h').textContent = 'Xếp hạng ' + (r ? r.title : 'vòng thi');
    let data;
    try {
      data = await api('GET', '/api/rounds/' + encodeURIComponent(rid) + '/leaderboard?' + query(b.offset));
    } catch (e) {
      clear(box);
      showMsg(box.appendChild(el('div')), e.message, 'error');
      return;
    }
    if (selectedRound() !== rid) return; // the picker changed meanwhile
    b.entries = b.entries.concat(data.entries || []);
    b.total = data.total || b.entries.length;
    b.offset = b.entries.length;
    roundNote(data);
    renderBoard(box, b, 'round', () => loadRound(false));
    if (reset) goLive('round');
  }

  function roundNote(data) {
    const note = clear($('#round-note'));
    if (data.official) {
      note.appendChild(el('p', { class: 'msg ok', id: 'official-note' }, 'Kết quả chính thức do Ban Giám khảo công bố lúc ' + C.fmtTime(data.published_at) + '.'));
    } else if (data.frozen) {
      note.appendChild(el('p', { class: 'msg info', id: 'frozen-note' }, 'Bảng xếp hạng dừng cập nhật từ ' + C.fmtTime(data.freeze_at) +
        ': các bài nộp sau thời điểm này được công bố cùng kết quả chính thức.'));
    } else if (data.provisional) {
      note.appendChild(el('p', { class: 'msg info' }, 'Kết quả tạm thời: vòng thi đang diễn ra, câu hỏi dự đoán chưa được dùng để xếp hạng.'));
    } else {
      note.appendChild(el('p', { class: 'msg info' }, 'Vòng thi đã kết thúc; kết quả đang chờ Ban Giám khảo công bố chính thức.'));
    }
    if (data.perfect_count !== null && data.perfect_count !== undefined) {
      note.appendChild(el('p', null, 'Số người trả lời đúng tất cả các câu hỏi: ', el('strong', null, fmtNum(data.perfect_count))));
    }
    const rk = rankingText(data.ranking);
    if (rk) note.appendChild(el('p', { class: 'small muted' }, rk));
  }

  /* ---------- contest-wide board ---------- */

  async function loadContest(reset) {
    const box = $('#contest-board');
    const b = boards.contest;
    if (reset) { b.offset = 0; b.entries = []; clear(box).appendChild(el('p', { class: 'loading' }, 'Đang tải…')); }
    let data;
    try {
      data = await api('GET', '/api/contests/' + encodeURIComponent(contestId) + '/leaderboard?' + query(b.offset));
    } catch (e) {
      clear(box);
      showMsg(box.appendChild(el('div')), e.message, 'error');
      return;
    }
    b.entries = b.entries.concat(data.entries || []);
    b.total = data.total || b.entries.length;
    b.offset = b.entries.length;
    contestNote(data);
    renderBoard(box, b, 'contest', () => loadContest(false));
    if (reset) goLive('contest');
  }

  function contestNote(data) {
    const note = clear($('#contest-note'));
    if (data.aggregate === 'sum') note.appendChild(el('p', { class: 'small muted' }, 'Điểm xếp hạng là tổng điểm các vòng thi.'));
    else if (data.aggregate === 'best') note.appendChild(el('p', { class: 'small muted' }, 'Điểm xếp hạng là điểm cao nhất trong các vòng thi.'));
    if (data.official) note.appendChild(el('p', { class: 'msg ok' }, 'Kết quả chung cuộc chính thức do Ban Giám khảo công bố lúc ' + C.fmtTime(data.published_at) + '.'));
    else if (data.frozen) note.appendChild(el('p', { class: 'msg info' }, 'Bảng xếp hạng chung đang dừng cập nhật cho đến khi Ban Giám khảo công bố kết quả chính thức.'));
    else if (data.provisional) note.appendChild(el('p', { class: 'msg info' }, 'Kết quả tạm thời: cuộc thi đang diễn ra.'));
    const rk = rankingText(data.ranking);
    if (rk) note.appendChild(el('p', { class: 'small muted' }, rk));
  }

  /* ---------- live updates (server-sent events) ----------
   * The board shown (its first page) follows the server's stream of the
   * same board: an event about a second after each change, none while the
   * board is frozen. A viewer who has loaded more than the first page keeps
   * what they see until they press "Làm mới". */

  const live = { es: null, url: '' };
  const LIVE_TIME = new Intl.DateTimeFormat('vi-VN', { timeZone: C.TZ, hour: '2-digit', minute: '2-digit', second: '2-digit' });

  function streamUrl(kind) {
    const q = selectedTrack() ? '?track=' + encodeURIComponent(selectedTrack()) : '';
    if (kind === 'round') return '/api/rounds/' + encodeURIComponent(selectedRound()) + '/leaderboard/stream' + q;
    return '/api/contests/' + encodeURIComponent(contestId) + '/leaderboard/stream' + q;
  }

  function liveStatus(text, kind) {
    const s = $('#live-status');
    s.textContent = text;
    s.className = 'small ' + (kind || 'muted');
  }

  function stopLive() {
    if (live.es) live.es.close();
    live.es = null;
    live.url = '';
    liveStatus('');
    $('#live-time').textContent = '';
  }

  function goLive(kind) {
    if (typeof EventSource === 'undefined' || (kind === 'round' && !selectedRound())) { stopLive(); return; }
    const url = streamUrl(kind);
    if (live.url === url && live.es && live.es.readyState !== EventSource.CLOSED) return;
    stopLive();
    live.url = url;
    const es = new EventSource(url);
    live.es = es;
    es.addEventListener('open', () => liveStatus('● Tự động cập nhật', 'live-on'));
    es.addEventListener('error', () => {
      if (live.es !== es) return;
      // the browser retries a dropped stream by itself, not a refused one (server busy)
      if (es.readyState === EventSource.CLOSED) liveStatus('Không tự động cập nhật được; bấm "Làm mới" để xem kết quả mới.', 'muted');
      else liveStatus('Mất kết nối, đang thử kết nối lại…', 'muted');
    });
    es.addEventListener('board', (ev) => {
      if (live.es !== es || tab !== kind) return;
      let data;
      try { data = JSON.parse(ev.data).board; } catch (e) { return; }
      if (!data) return;
      const b = boards[kind];
      if (b.entries.length > PAGE) return; // reading further down: left as loaded
      b.entries = data.entries || [];
      b.total = data.total !== undefined && data.total !== null ? data.total : b.entries.length;
      b.offset = b.entries.length;
      const box = $('#' + kind + '-board');
      box.setAttribute('aria-live', 'off'); // a table read aloud each second helps no one
      if (kind === 'round') {
        roundNote(data);
        renderBoard(box, b, 'round', () => loadRound(false));
      } else {
        contestNote(data);
        renderBoard(box, b, 'contest', () => loadContest(false));
      }
      $('#live-time').textContent = 'Cập nhật lúc ' + LIVE_TIME.format(new Date());
    });
  }

  function renderBoard(box, b, kind, more) {
    clear(box);
    if (!b.entries.length) {
      box.appendChild(el('p', { class: 'muted' }, 'Chưa có bài thi nào được nộp.'));
      return;
    }
    const showPred = kind === 'round' && b.entries.some((e) => e.prediction_error !== null && e.prediction_error !== undefined);
    const head = el('tr', null,
      el('th', { scope: 'col', class: 'num' }, 'Hạng'),
      el('th', { scope: 'col' }, 'Họ và tên / Đơn vị'),
      el('th', { scope: 'col', class: 'num' }, 'Điểm'),
      kind === 'round' ? el('th', { scope: 'col', class: 'num' }, 'Thời gian') : el('th', { scope: 'col', class: 'num' }, 'Số vòng'),
      showPred ? el('th', { scope: 'col', class: 'num' }, 'Sai số dự đoán') : null);
    const body = el('tbody');
    b.entries.forEach((e) => {
      const sub = [e.unit, selectedTrack() ? null : trackLabel(e.track)].filter(Boolean).join(' · ');
      body.appendChild(el('tr', null,
        el('td', { class: 'num' }, String(e.rank)),
        el('td', null, el('span', { class: 'name' }, e.name), el('span', { class: 'sub' }, sub)),
        el('td', { class: 'num' }, fmtNum(e.score, 2) + (e.max_score !== undefined && e.max_score !== null ? '/' + fmtNum(e.max_score, 2) : '')),
        kind === 'round'
          ? el('td', { class: 'num' }, e.duration_ms !== undefined && e.duration_ms !== null ? fmtDuration(e.duration_ms) : '—')
          : el('td', { class: 'num' }, e.rounds_counted !== undefined && e.rounds_counted !== null ? String(e.rounds_counted) : '—'),
        showPred ? el('td', { class: 'num' }, e.prediction_error === null || e.prediction_error === undefined ? '—' : fmtNum(e.prediction_error)) : null));
    });
    box.appendChild(el('div', { class: 'table-wrap' }, el('table', null,
      el('caption', { class: 'sr-only' }, kind === 'round' ? 'Bảng xếp hạng theo vòng' : 'Bảng xếp hạng toàn cuộc thi'),
      el('thead', null, head), body)));
    box.appendChild(el('p', { class: 'small muted' }, 'Hiển thị ' + b.entries.length + '/' + b.total + ' người.'));
    if (b.entries.length < b.total) {
      box.appendChild(el('button', { type: 'button', class: 'secondary block', onclick: more }, 'Xem thêm'));
    }
  }

  /* ---------- per-unit table ---------- */

  async function loadUnits() {
    const box = clear($('#units-board'));
    box.appendChild(el('p', { class: 'loading' }, 'Đang tải…'));
    let data;
    try {
      data = await api('GET', '/api/contests/' + encodeURIComponent(contestId) + '/units');
    } catch (e) {
      clear(box);
      showMsg(box.appendChild(el('div')), e.message, 'error');
      return;
    }
    clear(box);
    const units = (data && data.units) || [];
    if (!units.length) { box.appendChild(el('p', { class: 'muted' }, 'Chưa có dữ liệu đơn vị.')); return; }
    const groups = new Map();
    units.forEach((u) => {
      const k = u.block || 'Khác';
      if (!groups.has(k)) groups.set(k, []);
      groups.get(k).push(u);
    });
    const body = el('tbody');
    const cols = ['Người dự thi', 'Bài đã nộp', 'Điểm TB', 'Tỉ lệ tham gia'];
    groups.forEach((list, block) => {
      body.appendChild(el('tr', { class: 'block-row' }, el('th', { scope: 'colgroup', colspan: '5' }, block)));
      list.forEach((u) => {
        const vals = [
          fmtNum(u.participants),
          fmtNum(u.finished_attempts),
          u.average_score === null || u.average_score === undefined ? '—' : fmtNum(u.average_score, 2),
          u.participation_rate === null || u.participation_rate === undefined ? '—' : fmtNum(u.participation_rate * 100, 1) + '%',
        ];
        body.appendChild(el('tr', null,
          el('th', { scope: 'row', class: 'unit-name' }, u.name,
            u.headcount ? el('span', { class: 'sub' }, 'Biên chế: ' + fmtNum(u.headcount)) : null),
          vals.map((v, i) => el('td', { class: 'num', 'data-label': cols[i] }, v))));
      });
    });
    box.appendChild(el('div', { class: 'table-wrap' }, el('table', { class: 'stack' },
      el('caption', { class: 'sr-only' }, 'Thống kê tham gia theo đơn vị'),
      el('thead', null, el('tr', null,
        el('th', { scope: 'col' }, 'Đơn vị'),
        cols.map((c) => el('th', { scope: 'col', class: 'num' }, c)))),
      body)));
  }

  init();
})();
