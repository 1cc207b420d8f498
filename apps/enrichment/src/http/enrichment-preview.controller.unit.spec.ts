import { ArgumentMetadata, BadRequestException } from '@nestjs/common';
import { createValidationPipe } from '@leadstream/platform-service';
import { EnrichmentPreviewController } from './enrichment-preview.controller';
import { EnrichmentPreviewDto } from './enrichment-preview.dto';

const body: ArgumentMetadata = { type: 'body', metatype: EnrichmentPreviewDto };

describe('POST /v1/enrichment/preview body', () => {
  it('takes a website, and a free-mail lead with one previews the company domain it gives', async () => {
    const lead = (await createValidationPipe().transform({ email: 'ada@gmail.com', website: 'https://www.acme-corp.example/about' }, body)) as EnrichmentPreviewDto;
    expect(new EnrichmentPreviewController().preview(lead)).toMatchObject({ companyDomain: 'acme-corp.example', website: 'https://www.acme-corp.example/about' });
  });

  it('refuses a website over 2048 characters, naming the field', async () => {
    const refused = await createValidationPipe()
      .transform({ email: 'ada@gmail.com', website: `acme.com/${'a'.repeat(2040)}` }, body)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BadRequestException);
    expect((refused as BadRequestException).getResponse()).toMatchObject({ fields: ['website'] });
  });

  it('given a lead without email known by its phone or an external id, then it previews without any email-derived field', async () => {
    const pipe = createValidationPipe();
    const byPhone = (await pipe.transform({ phone: '020 7183 8750', country: 'UK' }, body)) as EnrichmentPreviewDto;
    expect(new EnrichmentPreviewController().preview(byPhone)).toEqual({ phone: '+442071838750', phoneAsTyped: '020 7183 8750', country: 'GB' });
    const byExternalId = (await pipe.transform({ externalIds: { Salesforce: ' 00Q5e00000AbCdE ' } }, body)) as EnrichmentPreviewDto;
    expect(new EnrichmentPreviewController().preview(byExternalId)).toEqual({ externalIds: { salesforce: '00Q5e00000AbCdE' } });
  });

  it('given a lead that names no one, then it is refused with the reason lead.received would give', async () => {
    const lead = (await createValidationPipe().transform({ firstName: 'Ada', title: 'CTO' }, body)) as EnrichmentPreviewDto;
    const refused = (() => {
      try {
        return new EnrichmentPreviewController().preview(lead);
      } catch (error) {
        return error;
      }
    })();
    expect(refused).toBeInstanceOf(BadRequestException);
    expect((refused as BadRequestException).getResponse()).toMatchObject({ message: [expect.stringMatching(/^names no one/)] });
  });

  it('refuses external ids under a system name lead.received would not take, naming the field', async () => {
    const refused = await createValidationPipe()
      .transform({ externalIds: { 'sales force': '1' } }, body)
      .catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(BadRequestException);
    expect((refused as BadRequestException).getResponse()).toMatchObject({ fields: ['externalIds'] });
  });
});
