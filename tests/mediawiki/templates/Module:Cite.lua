-- Test stand-in for English Wikipedia's Module:Cite: {{#invoke:cite|web|url=...|title=...}}
-- (large articles call it directly instead of {{cite web}}). The citation comes from Module:Citation.
local citation = require('Module:Citation')
local p = {}

for _, class in ipairs({ 'web', 'news', 'book', 'journal', 'magazine', 'report', 'press release',
		'encyclopedia', 'thesis', 'interview' }) do
	p[class] = function(frame)
		return citation._cite(class, frame.args)
	end
end

return p
