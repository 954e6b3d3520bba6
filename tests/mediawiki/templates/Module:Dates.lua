-- Test stand-ins for English Wikipedia's date templates:
--   {{dts}} / {{Date table sorting}}  ->  <span data-sort-value="000000001992-10-06-0000"
--                                          style="white-space:nowrap">6 October 1992</span>
--   {{Start date}}                    ->  6 October 1992<span style="display:none">&#160;(<span
--                                          class="bday dtstart published updated">1992-10-06</span>)</span>
local p = {}

local lang = mw.getContentLanguage()

local function trim(v)
	v = v and mw.text.trim(v) or ''
	return v ~= '' and v or nil
end

-- Split parameters (year, month, day; month as a number or a name) -> a string #time parses.
local function joined(y, m, d)
	if not m then
		return y
	end
	if tonumber(m) then
		return string.format('%s-%02d-%02d', y, tonumber(m), tonumber(d or 1))
	end
	return (d or '1') .. ' ' .. m .. ' ' .. y
end

-- Format with #time's formats; nil when the text is no date #time understands.
local function format(fmt, text)
	if text:match('^%d%d%d%d$') then
		text = text .. '-01-01'
	end
	local ok, out = pcall(lang.formatDate, lang, fmt, text)
	if ok then
		return out
	end
	return nil
end

-- {{dts}} from its arguments (also used by Module:Dts).
function p._dts(args)
	local y, m, d = trim(args[1]), trim(args[2]), trim(args[3])
	if not y then
		return ''
	end
	local text = joined(y, m, d)
	local display = y
	if m then
		local dmy = (trim(args.format) or 'mdy') == 'dmy'
		local fmt = d and (dmy and 'j F Y' or 'F j, Y') or 'F Y'
		display = format(fmt, text) or text
	end
	local iso = format('Y-m-d', text)
	local key = iso and ('00000000' .. iso .. '-0000') or y
	return '<span data-sort-value="' .. mw.text.encode(key) .. '" style="white-space:nowrap">'
		.. display .. '</span>'
end

function p.dts(frame)
	return p._dts(frame:getParent().args)
end

function p.start_date(frame)
	local args = frame:getParent().args
	local y, m, d = trim(args[1]), trim(args[2]), trim(args[3])
	if not y then
		return ''
	end
	local df = trim(args.df)
	local dmy = df == 'y' or df == 'yes'
	local text = joined(y, m, d)
	local display, iso = y, y
	if m and d then
		display = format(dmy and 'j F Y' or 'F j, Y', text) or text
		iso = format('Y-m-d', text) or text
	elseif m then
		display = format('F Y', text) or text
		iso = format('Y-m', text) or text
	end
	return display .. '<span style="display:none">&#160;(<span class="bday dtstart published updated">'
		.. iso .. '</span>)</span>'
end

return p
