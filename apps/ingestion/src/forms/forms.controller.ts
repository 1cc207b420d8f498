import {
  BadRequestException,
  Body,
  ConflictException,
  Controller,
  ForbiddenException,
  Get,
  Headers,
  HttpStatus,
  Inject,
  NotFoundException,
  Options,
  Param,
  Post,
  Put,
  Req,
  Res,
  ServiceUnavailableException,
  UseFilters,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiBody,
  ApiConsumes,
  ApiForbiddenResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProduces,
  ApiResponse,
  ApiTags,
} from '@nestjs/swagger';
import { randomUUID } from 'node:crypto';
import {
  describeFormErrors,
  isOriginAllowed,
  mapFormSubmission,
  renderFormErrorPage,
  renderFormSnippet,
  validateFormDefinition,
  type FormDefinition,
  type IntakeRules,
} from '@leadstream/domain-intake';
import { EventPublisher } from '@leadstream/platform-kafka';
import { Public, RequireScope } from '@leadstream/platform-access';
import { leadRejectedEvent, reportRejection, type RejectionReason } from '../rejections';
import { INTAKE_RULES } from '../leads/intake-rules.provider';
import { badRequestBody, takeInLead } from '../leads/lead-intake';
import { publishAcknowledged, RETRY_AFTER_SECONDS } from '../leads/publish-acknowledged';
import { ConcurrentFormUpdateError, FormCatalog, FormStoreUnavailableError, type CatalogedForm } from './form-catalog';
import { FormAcceptedDto, FormDefinitionDto, FormPostDto, StoredFormDto } from './form.dto';
import { FormRefusalFilter, prefersHtml, type FormRequest } from './form-refusal.filter';

interface FormResponse {
  status(code: number): FormResponse;
  setHeader(name: string, value: string): unknown;
  json(body: unknown): unknown;
  send(body: string): unknown;
  end(): unknown;
}

function header(request: FormRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function wantsJson(request: FormRequest): boolean {
  const accept = header(request, 'accept') ?? '';
  return /application\/json/i.test(accept) && !/text\/html/i.test(accept);
}

function shownFormId(formId: string): string {
  return formId.length > 64 ? `${formId.slice(0, 64)}...` : formId;
}

@ApiTags('forms')
@Controller('v1/forms')
export class FormsController {
  constructor(
    private readonly catalog: FormCatalog,
    private readonly publisher: EventPublisher,
    @Inject(INTAKE_RULES) private readonly rules: IntakeRules,
  ) {}

  private async lookUp(formId: string, response?: { setHeader(name: string, value: string): unknown }): Promise<CatalogedForm> {
    let found: CatalogedForm | undefined;
    try {
      found = await this.catalog.find(formId);
    } catch (error) {
      if (error instanceof FormStoreUnavailableError) {
        response?.setHeader('Retry-After', String(RETRY_AFTER_SECONDS));
        throw new ServiceUnavailableException(`${error.message}; retry later`);
      }
      throw error;
    }
    if (found === undefined) throw new NotFoundException(`form "${shownFormId(formId)}" is not defined`);
    return found;
  }

  @Put(':formId')
  @RequireScope('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Define or change a web-to-lead form', description: 'Each PUT stores a new revision; it takes precedence over a form of the same id in INGESTION_FORMS_FILE.' })
  @ApiBody({ type: FormDefinitionDto })
  @ApiOkResponse({ type: StoredFormDto })
  @ApiBadRequestResponse({ description: 'The definition cannot be used; the message names the offending entry' })
  async put(@Param('formId') formId: string, @Body() body: unknown): Promise<{ form: FormDefinition; origin: 'admin'; revision: number }> {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['(body): expected a JSON form definition object'], fields: ['(body)'] });
    }
    const raw = body as Record<string, unknown>;
    if (raw['formId'] !== undefined && raw['formId'] !== formId) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [`formId: ${JSON.stringify(raw['formId'])} differs from the path's form id "${shownFormId(formId)}"`], fields: ['formId'] });
    }
    let form: FormDefinition;
    try {
      form = validateFormDefinition({ ...raw, formId });
    } catch (error) {
      const path = (error as { path?: unknown }).path;
      const field = typeof path === 'string' && path !== '' ? path : '(body)';
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: [error instanceof Error ? error.message : String(error)], fields: [field] });
    }
    try {
      return { form, origin: 'admin', revision: await this.catalog.put(form) };
    } catch (error) {
      if (error instanceof ConcurrentFormUpdateError) throw new ConflictException(error.message);
      if (error instanceof FormStoreUnavailableError) throw new ServiceUnavailableException(error.message);
      throw error;
    }
  }

  @Get(':formId')
  @RequireScope('admin')
  @ApiBearerAuth()
  @ApiOperation({ summary: 'Read the live definition of a form' })
  @ApiOkResponse({ type: StoredFormDto })
  @ApiNotFoundResponse({ description: 'No such form' })
  async get(@Param('formId') formId: string): Promise<{ form: FormDefinition; origin: 'file' | 'admin'; revision?: number }> {
    const { form, origin } = await this.lookUp(formId);
    return origin.kind === 'admin' ? { form, origin: 'admin', revision: origin.revision } : { form, origin: 'file' };
  }

  @Get(':formId/snippet')
  @Public()
  @ApiOperation({ summary: 'HTML of the form, to paste into a page', description: 'Posts to POST /v1/forms/:formId; the honeypot is hidden off-screen.' })
  @ApiProduces('text/html')
  @ApiOkResponse({ description: 'An HTML <form> element' })
  @ApiNotFoundResponse({ description: 'No such form' })
  async snippet(@Param('formId') formId: string, @Req() request: FormRequest, @Res() response: FormResponse): Promise<void> {
    const { form } = await this.lookUp(formId, response);
    const base = process.env['INGESTION_PUBLIC_URL']?.replace(/\/+$/, '') ?? `${request.protocol}://${header(request, 'host') ?? 'localhost'}`;
    response.setHeader('Content-Type', 'text/html; charset=utf-8');
    const snippet = renderFormSnippet(form, `${base}/v1/forms/${encodeURIComponent(form.formId)}`, { alsoRequired: this.rules.required });
    response.status(HttpStatus.OK).send(snippet);
  }

  /** CORS preflight, for pages that post the form with fetch() instead of a plain form submit. */
  @Options(':formId')
  @Public()
  @ApiOperation({ summary: 'CORS preflight for form posts from an allowed origin' })
  @ApiResponse({ status: 204, description: 'The origin may post' })
  @ApiForbiddenResponse({ description: 'The origin is not allowed to post to this form' })
  async preflight(@Param('formId') formId: string, @Headers('origin') origin: string | undefined, @Res() response: FormResponse): Promise<void> {
    const { form } = await this.lookUp(formId, response);
    if (!isOriginAllowed(origin, form)) throw new ForbiddenException(`origin ${origin ?? '(none)'} may not post to form "${form.formId}"`);
    this.allowOrigin(response, origin);
    response.setHeader('Access-Control-Allow-Methods', 'POST, OPTIONS');
    response.setHeader('Access-Control-Allow-Headers', 'Content-Type, Accept, Idempotency-Key');
    response.setHeader('Access-Control-Max-Age', '600');
    response.status(HttpStatus.NO_CONTENT).end();
  }

  @Post(':formId')
  @Public()
  @ApiOperation({
    summary: 'Submit a web-to-lead form (application/x-www-form-urlencoded)',
    description:
      'From a plain HTML form on an allowed origin. Valid: lead.received (channel form), then 303 to the thank-you page, or 202 JSON when the form has none or the client accepts application/json. ' +
      'Invalid: 400 listing the fields (an HTML page for browsers) and lead.rejected. A filled honeypot is answered as a success and dropped.',
  })
  @ApiConsumes('application/x-www-form-urlencoded')
  @ApiBody({ type: FormPostDto })
  @ApiResponse({ status: 303, description: 'Accepted; Location is the thank-you page' })
  @ApiResponse({ status: 202, type: FormAcceptedDto, description: 'Accepted (no thank-you page, or Accept: application/json)' })
  @ApiBadRequestResponse({ description: 'Fields to correct, each named' })
  @ApiForbiddenResponse({ description: 'The Origin may not post to this form' })
  @ApiNotFoundResponse({ description: 'No such form' })
  @ApiResponse({ status: 503, description: 'Kafka did not acknowledge; retry after Retry-After seconds' })
  @UseFilters(FormRefusalFilter)
  async submit(@Param('formId') formId: string, @Body() body: unknown, @Req() request: FormRequest, @Res() response: FormResponse): Promise<void> {
    const { form } = await this.lookUp(formId, response);
    const origin = header(request, 'origin');
    if (!isOriginAllowed(origin, form)) throw new ForbiddenException(`origin ${origin ?? '(none: no Origin header)'} may not post to form "${form.formId}"`);
    this.allowOrigin(response, origin);
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new BadRequestException({ statusCode: 400, error: 'Bad Request', message: ['(body): expected the form fields, sent as application/x-www-form-urlencoded'], fields: ['(body)'] });
    }
    const referer = header(request, 'referer');
    const submission = mapFormSubmission(body as Record<string, unknown>, form, {
      ...(referer === undefined ? {} : { refererHeader: referer }),
      maxLandingPageLength: this.rules.maxLength.landingPage,
    });
    if (submission.kind === 'bot') {
      // Answered exactly as an accepted post, so the bot learns nothing; nothing is published.
      this.answerAccepted(request, response, form, randomUUID());
      return;
    }
    // The snippet's own referrer input (filled by its script, or empty on a direct visit) says where the
    // visitor came from; the Referer header names only the page the form is on, so it is the referrer
    // only for a hand-made form that carries no referrer input.
    const refererHeader = submission.refererIsReferrer ? referer : undefined;
    const intake = takeInLead(submission.input, { channel: 'form', formId: form.formId, rules: this.rules, ...(refererHeader === undefined ? {} : { refererHeader }) });
    const leadErrors: readonly RejectionReason[] = intake.ok ? [] : intake.errors;
    const formErrors = submission.problems.filter((problem) => !leadErrors.some((error) => error.field === problem.field));
    if (!intake.ok || formErrors.length > 0) {
      const errors = [...leadErrors, ...formErrors];
      // intake's own lead.rejected when it found every problem; otherwise one naming the form's too
      const event =
        !intake.ok && formErrors.length === 0 ? intake.event : leadRejectedEvent(errors, { channel: 'form', source: submission.input['source'], formId: form.formId });
      await reportRejection(this.publisher, event);
      if (prefersHtml(request)) {
        response.setHeader('Content-Type', 'text/html; charset=utf-8');
        response.status(HttpStatus.BAD_REQUEST).send(renderFormErrorPage(describeFormErrors(form, errors, submission.input, this.rules)));
      } else {
        response.status(HttpStatus.BAD_REQUEST).json(badRequestBody(errors));
      }
      return;
    }
    const event = submission.consent === undefined ? intake.event : { ...intake.event, data: { ...intake.event.data, consent: submission.consent } };
    await publishAcknowledged(() => this.publisher.publish([event]), response, 'the form post was');
    this.answerAccepted(request, response, form, intake.leadId);
  }

  private allowOrigin(response: FormResponse, origin: string | undefined): void {
    response.setHeader('Vary', 'Origin');
    if (origin !== undefined && origin !== 'null') response.setHeader('Access-Control-Allow-Origin', origin);
  }

  private answerAccepted(request: FormRequest, response: FormResponse, form: FormDefinition, leadId: string): void {
    if (form.redirectUrl !== undefined && !wantsJson(request)) {
      response.setHeader('Location', form.redirectUrl);
      response.status(HttpStatus.SEE_OTHER).end();
      return;
    }
    response.status(HttpStatus.ACCEPTED).json({ leadId });
  }
}
