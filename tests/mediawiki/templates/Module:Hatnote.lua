-- Test stand-in for English Wikipedia's hatnotes ({{Main}}, {{See also}}):
--   <div role="note" class="hatnote navigation-not-searchable">Main article: [[X]]</div>
-- Several pages: "Main articles: [[A]] and [[B]]", "See also: [[A]], [[B]], and [[C]]".
-- A section link "A#B" shows as "A § B"; l1=, l2=, ... set the shown text.
local p = {}

local function links(args)
	local out = {}
	local i = 1
	while args[i] and mw.text.trim(args[i]) ~= '' do
		local page = mw.text.trim(args[i])
		local label = args['l' .. i] and mw.text.trim(args['l' .. i]) or ''
		if label == '' then
			label = page:gsub('#', ' § ', 1)
		end
		table.insert(out, '[[' .. page .. '|' .. label .. ']]')
		i = i + 1
	end
	return out
end

local function list(items)
	if #items <= 2 then
		return table.concat(items, ' and ')
	end
	return table.concat(items, ', ', 1, #items - 1) .. ', and ' .. items[#items]
end

local function hatnote(text)
	return '<div role="note" class="hatnote navigation-not-searchable">' .. text .. '</div>'
end

function p.main(frame)
	local items = links(frame:getParent().args)
	if #items == 0 then
		items = { '[[' .. mw.title.getCurrentTitle().text .. ']]' }
	end
	return hatnote((#items > 1 and 'Main articles: ' or 'Main article: ') .. list(items))
end

function p.see_also(frame)
	return hatnote('See also: ' .. list(links(frame:getParent().args)))
end

return p
