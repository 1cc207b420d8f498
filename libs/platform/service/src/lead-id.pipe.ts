import { BadRequestException, ParseUUIDPipe } from '@nestjs/common';

/** `@Param('id', LEAD_ID_PIPE)`: a lead id route parameter, 400 naming what is expected when it is not a UUID. */
export const LEAD_ID_PIPE = new ParseUUIDPipe({
  exceptionFactory: () => new BadRequestException('id must be a UUID, e.g. the leadId returned by POST /v1/leads'),
});
