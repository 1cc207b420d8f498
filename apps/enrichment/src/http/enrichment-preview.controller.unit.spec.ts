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
});
