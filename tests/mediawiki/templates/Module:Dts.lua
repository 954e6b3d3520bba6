-- Test stand-in for English Wikipedia's Module:Date table sorting as called directly:
-- {{#invoke:dts|main|9 May 1386}} is {{dts|9 May 1386}}.
local dates = require('Module:Dates')
local p = {}

function p.main(frame)
	return dates._dts(frame.args)
end

return p
