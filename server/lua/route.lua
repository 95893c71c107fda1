-- One routing step, run by every node every tick; atomic, so nodes never double-offer.
--  1. advisors whose node stopped heartbeating go offline; their offers move on
--  2. expired offers move on (the conversation keeps its place: its queue score is unchanged)
--  3. (sweep) visitor presence brought up to date (lib.lua, update_presence); waiting visitors
--     away for abandon_after are abandoned
--  4. each waiting conversation, in queue order, is offered to one eligible advisor
-- Conversations and advisors are found in these sets, so their keys are named by lib.lua.
-- KEYS: advisors_online, offers, live, queue, stats_day (today's, for abandonments; may be absent)
-- ARGV: now_ms, offer_ms, skill_ms, alive_ms, abandon_ms, scan, sweep(0/1), retention_s,
--       visitor_alive_ms (a visitor heartbeat older than this: away)
local online, offers, live, queue, stats = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local now, offer_ms, skill_ms = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local alive_ms, abandon_ms, scan = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local sweep, retention = ARGV[7] == '1', tonumber(ARGV[8])
local visitor_alive_ms = tonumber(ARGV[9])
local changed = false

local function withdraw(cid, adv, reason)
  withdraw_offer(offers, cid, adv, reason)
  changed = true
end

for _, adv in ipairs(redis.call('ZRANGEBYSCORE', online, '-inf', now - alive_ms)) do
  redis.call('ZREM', online, adv)
  for _, cid in ipairs(redis.call('SMEMBERS', advisor_key(adv) .. ':offers')) do
    withdraw(cid, adv, 'disconnected')
  end
end

for _, cid in ipairs(redis.call('ZRANGEBYSCORE', offers, '-inf', now)) do
  local adv = redis.call('HGET', conv_key(cid), 'offered_to')
  if adv then withdraw(cid, adv, 'timeout') else redis.call('ZREM', offers, cid) end
end

if sweep then
  for _, cid in ipairs(redis.call('SMEMBERS', live)) do
    local key = conv_key(cid)
    local c = redis.call('HMGET', key, 'state', 'visitor_seen_at', 'offered_to', 'resume_key', 'visitor_away_at', 'presence')
    local st = c[1]
    if not st then
      redis.call('SREM', live, cid)
    elseif st == 'screening' or st == 'queued' or st == 'offered' or st == 'active' then
      -- A node that died leaves its visitors' heartbeats stale: they become away, then gone.
      local presence = update_presence({key = key, id = cid, offers = offers, now = now, alive_ms = visitor_alive_ms,
        gone_ms = abandon_ms, state = st, seen = c[2], away = c[5], presence = c[6], offered_to = c[3]})
      if st ~= 'active' and presence == 'gone' then
        if st == 'offered' and redis.call('HGET', key, 'offered_to') then withdraw(cid, redis.call('HGET', key, 'offered_to'), 'abandoned') end
        redis.call('HSET', key, 'state', 'abandoned', 'ended_at', now, 'ended_by', 'system')
        redis.call('ZREM', queue, cid)
        redis.call('SREM', live, cid)
        if c[4] then redis.call('DEL', c[4]) end
        expire_conversation(cid, retention)
        publish({kind = 'ended', conv = cid, by = 'system', state = 'abandoned'})
        if stats then redis.call('HINCRBY', stats, 'abandoned', 1) end
        changed = true
      end
    end
  end
end

local advisors = {}
for _, adv in ipairs(redis.call('ZRANGEBYSCORE', online, now - alive_ms, '+inf')) do
  local akey = advisor_key(adv)
  local h = redis.call('HMGET', akey, 'presence', 'capacity', 'languages', 'caller_types', 'role', 'last_offer_at')
  if h[1] == 'available' and redis.call('SCARD', akey .. ':wrapups') == 0 then
    local load = redis.call('SCARD', akey .. ':convs') + redis.call('SCARD', akey .. ':offers')
    local free = tonumber(h[2] or '1') - load
    if free > 0 then
      table.insert(advisors, {id = adv, free = free, load = load, langs = ',' .. (h[3] or '') .. ',',
        types = ',' .. (h[4] or '') .. ',', supervisor = (h[5] == 'supervisor' or h[5] == 'admin'),
        last = tonumber(h[6] or '0')})
    end
  end
end

local made = 0
if #advisors > 0 then
  for _, cid in ipairs(redis.call('ZRANGE', queue, 0, scan - 1)) do
    local key = conv_key(cid)
    local c = redis.call('HMGET', key, 'state', 'lang', 'caller_type', 'queued_at', 'transfer_to', 'transfer_at', 'presence')
    -- Nobody is offered a visitor who is not there (lib.lua, update_presence).
    if c[1] == 'queued' and (c[7] == false or c[7] == 'connected') then
      local tried = {}
      for _, a in ipairs(redis.call('SMEMBERS', key .. ':tried')) do tried[a] = true end
      local since = tonumber(c[6] or c[4] or now)
      -- A transfer to a named advisor who is offline or away would wait the whole skill wait for
      -- nobody: it goes to whoever can take it at once.
      local target_gone = false
      if c[5] and c[5] ~= '' and c[5] ~= 'supervisor' then
        local seen = redis.call('ZSCORE', online, c[5])
        target_gone = (not seen) or tonumber(seen) < now - alive_ms
          or redis.call('HGET', advisor_key(c[5]), 'presence') ~= 'available'
      end
      local waited_long = now - since >= skill_ms or target_gone
      -- The best eligible advisor: skill match first, then lowest load, then longest since an offer.
      local function pick(skip_tried)
        local best, best_skilled, eligible, untried = nil, false, 0, 0
        for _, a in ipairs(advisors) do
          local ok = a.free > 0
          if ok and c[5] == 'supervisor' then ok = a.supervisor
          elseif ok and c[5] and not waited_long then ok = (a.id == c[5]) end
          local skilled = ok and string.find(a.langs, ',' .. c[2] .. ',', 1, true) ~= nil
            and string.find(a.types, ',' .. c[3] .. ',', 1, true) ~= nil
          -- Before the skill wait only matching advisors qualify (a transfer target always does).
          if ok and ((c[5] and c[5] ~= '') or skilled or waited_long) then
            eligible = eligible + 1
            if not (skip_tried and tried[a.id]) then
              untried = untried + 1
              local better = best == nil
                or (skilled and not best_skilled)
                or (skilled == best_skilled and (a.load < best.load or (a.load == best.load and a.last < best.last)))
              if better then best, best_skilled = a, skilled end
            end
          end
        end
        return best, eligible, untried
      end
      local best, eligible, untried = pick(true)
      if not best and eligible > 0 and untried == 0 then
        -- Everyone eligible has had it (timed out, declined): a new round at once, so the
        -- conversation keeps its place instead of letting a later one take the advisor.
        redis.call('DEL', key .. ':tried')
        best = pick(false)
      end
      if best then
        local interpreter = string.find(best.langs, ',' .. c[2] .. ',', 1, true) == nil
        redis.call('HSET', key, 'state', 'offered', 'offered_to', best.id, 'offer_expires_at', now + offer_ms,
          'interpreter', interpreter and '1' or '0')
        redis.call('ZADD', offers, now + offer_ms, cid)
        redis.call('SADD', advisor_key(best.id) .. ':offers', cid)
        redis.call('HSET', advisor_key(best.id), 'last_offer_at', now)
        best.free = best.free - 1
        best.load = best.load + 1
        best.last = now
        made = made + 1
        changed = true
        publish({kind = 'offer', conv = cid, advisor = best.id})
      end
    end
  end
end
if changed then publish({kind = 'queue_changed'}) end
return made
