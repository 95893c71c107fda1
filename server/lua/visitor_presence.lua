-- A visitor's socket opened ('seen') or the last one on a node closed ('away'): the time is
-- stored and the presence (lib.lua, update_presence) updated at once, so a ghost stops counting
-- in the queue and is not offered within a moment of leaving.
-- KEYS: conversation, offers
-- ARGV: id, event ('seen'|'away'), now_ms, alive_ms, gone_ms
local key, offers = KEYS[1], KEYS[2]
local id, event, now = ARGV[1], ARGV[2], tonumber(ARGV[3])
local c = redis.call('HMGET', key, 'state', 'visitor_seen_at', 'visitor_away_at', 'presence', 'offered_to')
if not c[1] then return redis.error_reply('not_found') end
if c[1] ~= 'screening' and c[1] ~= 'queued' and c[1] ~= 'offered' and c[1] ~= 'active' then return c[4] or 'gone' end
if event == 'seen' then
  redis.call('HSET', key, 'visitor_seen_at', now)
  c[2] = tostring(now)
else
  redis.call('HSET', key, 'visitor_away_at', now)
  c[3] = tostring(now)
end
return update_presence({key = key, id = id, offers = offers, now = now, alive_ms = tonumber(ARGV[4]),
  gone_ms = tonumber(ARGV[5]), state = c[1], seen = c[2], away = c[3], presence = c[4], offered_to = c[5]})
