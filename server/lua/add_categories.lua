-- Adds risk categories to a conversation; returns the whole set (JSON) so the caller can compute
-- the level by the content's rules. Categories only accumulate.
-- ARGV: id, categories_json
local key = 'hl:conv:' .. ARGV[1]
local cur = redis.call('HGET', key, 'categories')
if not cur then return redis.error_reply('not_found') end
local set, list = {}, cjson.decode(cur)
for _, c in ipairs(list) do set[c] = true end
for _, c in ipairs(cjson.decode(ARGV[2])) do
  if not set[c] then set[c] = true; table.insert(list, c) end
end
table.sort(list)
local encoded = cjson.encode(list)
if #list == 0 then encoded = '[]' end
redis.call('HSET', key, 'categories', encoded)
return encoded
