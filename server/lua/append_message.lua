-- Stores one message with the next gap-free sequence number, idempotent on (sender, client_id),
-- and publishes it. The stream entry id is "<seq>-0" so XRANGE by seq gives exactly what is missed.
-- ARGV: id, sender_key, client_id, from, name, text, ts, card_json, flags_json, cues_json,
--       allowed_states (comma separated), max_messages, advisor_id ('' for visitors),
--       screening_ctx (visitor messages: concepts the next message can complete; '' keeps it)
local id, sender, cid, from, name, text, ts = ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6], ARGV[7]
local card, flags, cues, allowed, max, adv = ARGV[8], ARGV[9], ARGV[10], ARGV[11], tonumber(ARGV[12]), ARGV[13]
local sctx = ARGV[14] or ''
local key = 'hl:conv:' .. id
local c = redis.call('HMGET', key, 'state', 'advisor', 'last_seq')
if not c[1] then return redis.error_reply('not_found') end
local dup = redis.call('HGET', key .. ':cids', sender .. ':' .. cid)
if dup then return {1, tonumber(dup)} end
if not string.find(',' .. allowed .. ',', ',' .. c[1] .. ',', 1, true) then
  return redis.error_reply('wrong_state')
end
if adv ~= '' and c[2] ~= adv and redis.call('SISMEMBER', key .. ':watchers', adv) == 0 then
  return redis.error_reply('forbidden')
end
if tonumber(c[3]) >= max then return redis.error_reply('limit_reached') end
local seq = redis.call('HINCRBY', key, 'last_seq', 1)
local fields = {'from', from, 'text', text, 'ts', ts, 'client_id', cid}
if name ~= '' then table.insert(fields, 'name'); table.insert(fields, name) end
if card ~= '' then table.insert(fields, 'card'); table.insert(fields, card) end
if flags ~= '' then table.insert(fields, 'flags'); table.insert(fields, flags) end
if cues ~= '' then table.insert(fields, 'cues'); table.insert(fields, cues) end
redis.call('XADD', key .. ':msgs', seq .. '-0', unpack(fields))
redis.call('HSET', key .. ':cids', sender .. ':' .. cid, seq)
if sctx ~= '' then redis.call('HSET', key, 'screening_ctx', sctx) end
local ev = {kind = 'msg', conv = id, seq = seq, from = from, text = text, ts = tonumber(ts), client_id = cid}
if name ~= '' then ev.name = name end
if card ~= '' then ev.card = cjson.decode(card) end
if flags ~= '' then ev.flags = cjson.decode(flags) end
if cues ~= '' then ev.cues = cjson.decode(cues) end
redis.call('PUBLISH', 'hl:events', cjson.encode(ev))
return {0, seq}
