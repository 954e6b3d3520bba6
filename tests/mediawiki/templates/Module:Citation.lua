-- Test stand-in for English Wikipedia's Module:Citation/CS1, a small subset of it.
-- Used by {{cite web}}, {{cite news}}, {{cite book}}, ... through
-- {{#invoke:Citation|cite|CitationClass=web}}, and by Module:Cite ({{#invoke:cite|web|...}}, which
-- large articles call directly). Renders the same structure as English Wikipedia:
--   <cite class="citation web cs1">Last, First (date). <a class="external text" href=URL>"Title"</a>.
--   <i>Work</i>. Publisher. Archived from the original on D. Retrieved D.</cite>
--   <span title="ctx_ver=Z39.88-2004&..." class="Z3988"></span>      (COinS metadata)
local p = {}

-- First non-blank value among the named parameters.
local function get(args, ...)
	for _, name in ipairs({ ... }) do
		local v = args[name]
		if v ~= nil then
			v = mw.text.trim(v)
			if v ~= '' then
				return v
			end
		end
	end
	return nil
end

-- Plain text of a bit of wikitext, for the COinS metadata.
local function plain(s)
	s = s:gsub('%[%[[^|%]]-|([^%]]-)%]%]', '%1'):gsub('%[%[([^%]]-)%]%]', '%1')
	s = s:gsub("'''?", ''):gsub('<[^>]->', '')
	return s
end

-- Authors as {last=..., first=...}: last/first, last1/first1 ... last9/first9, author, authors.
local function authors(args)
	local list = {}
	for i = 1, 9 do
		local last = get(args, 'last' .. i, 'author' .. i, 'surname' .. i)
		local first = get(args, 'first' .. i, 'given' .. i)
		if i == 1 then
			last = last or get(args, 'last', 'author', 'surname', 'authors')
			first = first or get(args, 'first', 'given')
		end
		if not last then
			break
		end
		table.insert(list, { last = last, first = first })
	end
	return list
end

local function year_of(date)
	return date and date:match('%d%d%d%d') or ''
end

-- The citation of class CLASS ('web', 'news', 'book', 'journal', 'press release', ...) from ARGS.
function p._cite(class, args)
	class = class:gsub(' ', '-')
	local url = get(args, 'url', 'URL')
	local title = get(args, 'title') or ''
	local transTitle = get(args, 'trans-title', 'trans_title')
	local work = get(args, 'website', 'work', 'newspaper', 'magazine', 'journal', 'periodical')
	local publisher = get(args, 'publisher', 'agency')
	local location = get(args, 'location', 'place')
	local date = get(args, 'date', 'year')
	local accessDate = get(args, 'access-date', 'accessdate')
	local archiveUrl = get(args, 'archive-url', 'archiveurl')
	local archiveDate = get(args, 'archive-date', 'archivedate')
	local urlStatus = get(args, 'url-status', 'dead-url', 'deadurl') or 'dead'
	local language = get(args, 'language')
	local page = get(args, 'page', 'p')
	local pages = get(args, 'pages', 'pp')
	local isbn = get(args, 'isbn', 'ISBN')
	local via = get(args, 'via')
	local quote = get(args, 'quote')
	local live = archiveUrl and (urlStatus == 'live' or urlStatus == 'no')
	local parts = {}

	-- Authors, then the date in brackets (without authors the date comes later).
	local list = authors(args)
	local names = {}
	for _, a in ipairs(list) do
		table.insert(names, a.first and (a.last .. ', ' .. a.first) or a.last)
	end
	if #names > 0 then
		table.insert(parts, table.concat(names, '; ') .. (date and (' (' .. date .. ').') or '.'))
	end

	-- Title: quoted for articles and web pages, italic for books; linked to the URL
	-- (to the archive when the original is dead).
	local shown = (class == 'book') and ("''" .. title .. "''") or ('"' .. title .. '"')
	local target = (archiveUrl and not live) and archiveUrl or url
	if target then
		shown = '[' .. target .. ' ' .. shown .. ']'
	end
	if transTitle then
		shown = shown .. ' [' .. transTitle .. ']'
	end
	if language then
		shown = shown .. ' (in ' .. language .. ')'
	end
	table.insert(parts, shown .. '.')

	if work and class ~= 'book' then
		table.insert(parts, "''" .. work .. "''.")
	end
	if location and publisher then
		table.insert(parts, location .. ': ' .. publisher .. '.')
	elseif publisher then
		table.insert(parts, publisher .. '.')
	end
	if date and #names == 0 then
		table.insert(parts, date .. '.')
	end
	if page then
		table.insert(parts, 'p. ' .. page .. '.')
	elseif pages then
		table.insert(parts, 'pp. ' .. pages .. '.')
	end
	if isbn then
		table.insert(parts, '[[ISBN (identifier)|ISBN]]&nbsp;[[Special:BookSources/' .. isbn .. '|' .. isbn .. ']].')
	end
	if via then
		table.insert(parts, 'Via ' .. via .. '.')
	end
	if archiveUrl then
		local on = archiveDate and (' on ' .. archiveDate) or ''
		if live then
			table.insert(parts, '[' .. archiveUrl .. ' Archived] from the original' .. on .. '.')
		elseif url then
			table.insert(parts, 'Archived from [' .. url .. ' the original]' .. on .. '.')
		else
			table.insert(parts, 'Archived' .. on .. '.')
		end
	end
	if accessDate and url then
		table.insert(parts, 'Retrieved ' .. accessDate .. '.')
	end
	if quote then
		table.insert(parts, '<q>' .. quote .. '</q>')
	end

	-- COinS (OpenURL ContextObject in a span title): what Zotero & co read.
	local kev = { { 'ctx_ver', 'Z39.88-2004' } }
	local pt = plain(title)
	if class == 'book' then
		table.insert(kev, { 'rft_val_fmt', 'info:ofi/fmt:kev:mtx:book' })
		table.insert(kev, { 'rft.genre', 'book' })
		table.insert(kev, { 'rft.btitle', pt })
	elseif work then
		table.insert(kev, { 'rft_val_fmt', 'info:ofi/fmt:kev:mtx:journal' })
		local article = class == 'news' or class == 'journal' or class == 'magazine'
		table.insert(kev, { 'rft.genre', article and 'article' or 'unknown' })
		table.insert(kev, { 'rft.jtitle', plain(work) })
		table.insert(kev, { 'rft.atitle', pt })
	else
		table.insert(kev, { 'rft_val_fmt', 'info:ofi/fmt:kev:mtx:book' })
		table.insert(kev, { 'rft.genre', 'unknown' })
		table.insert(kev, { 'rft.btitle', pt })
	end
	if location then table.insert(kev, { 'rft.place', location }) end
	if page or pages then table.insert(kev, { 'rft.pages', page or pages }) end
	if publisher then table.insert(kev, { 'rft.pub', plain(publisher) }) end
	if date then table.insert(kev, { 'rft.date', date }) end
	if isbn then table.insert(kev, { 'rft.isbn', isbn }) end
	if list[1] then
		table.insert(kev, { 'rft.aulast', list[1].last })
		if list[1].first then table.insert(kev, { 'rft.aufirst', list[1].first }) end
	end
	for _, a in ipairs(list) do
		table.insert(kev, { 'rft.au', a.first and (a.last .. ', ' .. a.first) or a.last })
	end
	if url then table.insert(kev, { 'rft_id', url }) end
	table.insert(kev, { 'rfr_id', 'info:sid/en.wikipedia.org:' .. mw.title.getCurrentTitle().prefixedText })
	local encoded = {}
	for _, kv in ipairs(kev) do
		table.insert(encoded, kv[1] .. '=' .. mw.uri.encode(kv[2], 'QUERY'))
	end

	local id = ''
	if #list > 0 then
		local lasts = {}
		for i = 1, math.min(#list, 4) do
			lasts[i] = plain(list[i].last)
		end
		id = ' id="' .. mw.uri.anchorEncode('CITEREF' .. table.concat(lasts) .. year_of(date)) .. '"'
	end
	return '<cite' .. id .. ' class="citation ' .. class .. ' cs1">' .. table.concat(parts, ' ') .. '</cite>'
		.. '<span title="' .. table.concat(encoded, '&') .. '" class="Z3988"></span>'
end

-- {{#invoke:Citation|cite|CitationClass=web}} in a template: the template's parameters.
function p.cite(frame)
	return p._cite(frame.args.CitationClass or 'web', frame:getParent().args)
end

return p
