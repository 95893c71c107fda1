-- Not a script: prepended to every script of this folder (app/redis_scripts.cpp). Keys a script
-- knows before it runs come in KEYS; these name the ones it only finds while running (a
-- conversation taken from the queue, the advisor holding one) and must agree with
-- server/src/app/keys.hpp (tests/server/app/keys_test.cpp checks). Also the steps several
-- scripts share, so each is written once.
local function conv_key(id) return 'hl:conv:{' .. id .. '}' end
local function advisor_key(id) return 'hl:advisor:{' .. id .. '}' end
local function publish(ev) redis.call('PUBLISH', 'hl:events', cjson.encode(ev)) end

-- A conversation's keys, in the order of keys.hpp; a closed conversation keeps them retention_s.
local function conv_keys(id)
  local k = conv_key(id)
  return {k, k .. ':msgs', k .. ':cids', k .. ':tried', k .. ':watchers'}
end
local function expire_conversation(id, retention)
  for _, k in ipairs(conv_keys(id)) do redis.call('EXPIRE', k, retention) end
end

-- Stores one message with the next gap-free sequence number (stream entry id "<seq>-0") and
-- publishes it. m: conv, msgs, cids (keys), id, sender, cid, from, name, text, ts, card, flags,
-- cues, notice ('' or nil when absent; notice names a system event the widget words itself), team (true: a private note, stored and published with team = 1; the
-- visitor's connections skip it). Returns seq.
local function append_message(m)
  local seq = redis.call('HINCRBY', m.conv, 'last_seq', 1)
  local fields = {'from', m.from, 'text', m.text, 'ts', m.ts, 'client_id', m.cid}
  local ev = {kind = 'msg', conv = m.id, seq = seq, from = m.from, text = m.text, ts = tonumber(m.ts), client_id = m.cid}
  for _, f in ipairs({'name', 'card', 'flags', 'cues', 'notice'}) do
    if (m[f] or '') ~= '' then
      table.insert(fields, f)
      table.insert(fields, m[f])
      if f == 'name' or f == 'notice' then ev[f] = m[f] else ev[f] = cjson.decode(m[f]) end
    end
  end
  if m.team then
    table.insert(fields, 'team')
    table.insert(fields, '1')
    ev.team = 1
  end
  redis.call('XADD', m.msgs, seq .. '-0', unpack(fields))
  redis.call('HSET', m.cids, m.sender .. ':' .. m.cid, seq)
  publish(ev)
  return seq
end

-- Risk: the caller computed `level` (rank) from the merged category set by the content's rules
-- (triage::conversation_risk) having read `seen`, the stored set. A set that changed since is
-- `stale` (the caller reads and computes again), so a level always matches the categories stored
-- with it. check_risk runs before anything is written; raise_risk merges, raises (levels never
-- fall), re-scores a waiting conversation, counts the day's highest level and publishes `risk`
-- (and `alert` for imminent). r: seen, added (JSON lists), level, rank, flags (JSON), stats_levels
-- (key, '' = none), boosts (JSON, seconds per rank), now. c: the conversation's HMGET of state,
-- level_rank, queued_at, advisor, advisor_name, transfer_to, categories.
local function check_risk(c, r)
  if r.added == '[]' then return true end
  local stored, n = {}, 0
  for _, x in ipairs(cjson.decode(c[7] or '[]')) do stored[x] = true; n = n + 1 end
  local seen = cjson.decode(r.seen)
  if #seen ~= n then return false end
  for _, x in ipairs(seen) do if not stored[x] then return false end end
  return true
end
local function raise_risk(key, queue, id, c, r)
  if r.added == '[]' then return end
  local list, set = cjson.decode(c[7] or '[]'), {}
  for _, x in ipairs(list) do set[x] = true end
  for _, x in ipairs(cjson.decode(r.added)) do
    if not set[x] then set[x] = true; table.insert(list, x) end
  end
  table.sort(list)
  local encoded = #list == 0 and '[]' or cjson.encode(list)
  redis.call('HSET', key, 'categories', encoded)
  local rank, old = tonumber(r.rank), tonumber(c[2] or '0')
  if rank <= old then return end
  redis.call('HSET', key, 'level', r.level, 'level_rank', rank)
  if (c[1] == 'queued' or c[1] == 'offered') and c[3] and not c[6] then
    local boosts = cjson.decode(r.boosts)
    redis.call('ZADD', queue, 'XX', tonumber(c[3]) - boosts[rank + 1] * 1000, id)
    publish({kind = 'queue_changed'})
  end
  -- Levels only rise, so the latest write is the conversation's highest level that day.
  if r.stats_levels ~= '' then redis.call('HSET', r.stats_levels, id, rank) end
  local ev = {kind = 'risk', conv = id, level = r.level, categories = list, flags = cjson.decode(r.flags),
              advisor = c[4] or '', advisor_name = c[5] or '', ts = tonumber(r.now)}
  publish(ev)
  if r.level == 'imminent' then
    ev.kind = 'alert'
    publish(ev)
  end
end

-- Takes back the offer of `cid` made to `adv` (it keeps its place in the queue: its score is
-- unchanged) and remembers that `adv` had it.
local function withdraw_offer(offers, cid, adv, reason)
  local key = conv_key(cid)
  if redis.call('HGET', key, 'state') == 'offered' then redis.call('HSET', key, 'state', 'queued') end
  redis.call('HDEL', key, 'offered_to', 'offer_expires_at')
  redis.call('ZREM', offers, cid)
  redis.call('SREM', advisor_key(adv) .. ':offers', cid)
  redis.call('SADD', key .. ':tried', adv)
  publish({kind = 'offer_withdrawn', conv = cid, advisor = adv, reason = reason})
end

-- Visitor presence: 'connected' while some node holds a socket for the visitor (it refreshes
-- visitor_seen_at every few seconds, newer than visitor_away_at), 'away' once the last socket
-- closed (visitor_away_at) or no node refreshed it within alive_ms (a node died), 'gone' once away
-- for gone_ms. A change is stored in `presence` and published; a visitor who is not connected is
-- not offered, and an offer already made is taken back, so no advisor accepts a chat with nobody.
-- p: key, id, offers, now, alive_ms, gone_ms, and from the hash: state, seen, away, presence,
-- offered_to. Returns the presence.
local function update_presence(p)
  local seen, away = tonumber(p.seen or '0'), tonumber(p.away or '0')
  local presence = 'connected'
  if not (away < seen and p.now - seen <= p.alive_ms) then
    local since = (away >= seen and away > 0) and away or seen
    presence = (p.now - since >= p.gone_ms) and 'gone' or 'away'
  end
  if presence ~= (p.presence or 'connected') then
    redis.call('HSET', p.key, 'presence', presence)
    publish({kind = 'presence', conv = p.id, presence = presence})
    if presence ~= 'connected' and p.state == 'offered' and p.offered_to then
      withdraw_offer(p.offers, p.id, p.offered_to, 'visitor_away')
    end
    if p.state == 'queued' or p.state == 'offered' then publish({kind = 'queue_changed'}) end
  end
  return presence
end
