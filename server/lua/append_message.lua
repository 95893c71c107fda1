-- Stores an advisor's message with the next gap-free sequence number, idempotent on (sender,
-- client_id), and publishes it (visitor messages: visitor_message.lua).
-- KEYS: conversation, messages, client_ids, watchers
-- ARGV: id, sender_key, client_id, from, name, text, ts, card_json ('' = none),
--       allowed_states (comma separated), max_messages, advisor_id ('' = no participant check),
--       team ('1' = a private note for the advisors and supervisors on the conversation, never for
--       the visitor; '' = to the visitor, which only the conversation's own advisor may send: a
--       supervisor watching takes over first), notice (a system event's name, e.g.
--       supervisor_joined; '' = none)
local key, msgs, cids, watchers = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local id, sender, cid, from, name, text, ts = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local card, allowed, max, adv, team = ARGV[8], ARGV[9], tonumber(ARGV[10]), ARGV[11], ARGV[12] == '1'
local notice = ARGV[13] or ''
local c = redis.call('HMGET', key, 'state', 'advisor', 'last_seq')
if not c[1] then return redis.error_reply('not_found') end
local dup = redis.call('HGET', cids, sender .. ':' .. cid)
if dup then return {1, tonumber(dup)} end
if not string.find(',' .. allowed .. ',', ',' .. c[1] .. ',', 1, true) then
  return redis.error_reply('wrong_state')
end
if adv ~= '' and c[2] ~= adv then
  if redis.call('SISMEMBER', watchers, adv) == 0 then return redis.error_reply('forbidden') end
  if not team then return redis.error_reply('watching') end
end
if tonumber(c[3]) >= max then return redis.error_reply('limit_reached') end
local seq = append_message({conv = key, msgs = msgs, cids = cids, id = id, sender = sender, cid = cid, from = from,
  name = name, text = text, ts = ts, card = card, flags = '', cues = '', team = team, notice = notice})
return {0, seq}
